#include <doctest/doctest.h>

#include "judge/reports/html_report.h"
#include "judge/reports/report.h"
#include "judge/reports/svg_charts.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

GradeReport hostile_report() {
  GradeReport r;
  r.problem.title = "T </title><script>alert(1)</script>";
  r.problem.name = "p";
  TestCase t;
  t.name = "01";
  r.problem.tests.push_back(t);
  SubmissionGrade g;
  g.submission.name = "s1";
  g.submission.shown = "x\"><img src=x onerror=alert(1)>.py";
  TestGrade tg;
  tg.test = "01";
  tg.verdict = GradeVerdict::IE;
  tg.message = "</script><script>document.title='pwned'</script>";
  tg.run.ie_reason = IeReason::EngineError;
  g.tests.push_back(tg);
  g.verdict = GradeVerdict::IE;
  g.graded = false;
  r.submissions.push_back(g);
  return r;
}

}  // namespace

TEST_SUITE("judge/html_report") {
  TEST_CASE("escaping: text, attributes and </script> inside text") {
    CHECK(xml_escape(R"(<a href="x" title='y'>&</a>)") ==
          "&lt;a href=&quot;x&quot; title=&apos;y&apos;&gt;&amp;&lt;/a&gt;");
    CHECK(xml_escape("</script>") == "&lt;/script&gt;");
    const auto page = report_html(hostile_report(), "/nonexistent", {"9.9", "2026-01-01T00:00:00Z"});
    // The page's own script is the only one; nothing from the report opens a tag.
    CHECK(count(page, "<script>") == 1);
    CHECK(count(page, "</script>") == 1);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("&lt;/script&gt;&lt;script&gt;document.title=&apos;pwned&apos;") != std::string::npos);
    CHECK(page.find("x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.py") != std::string::npos);
    CHECK(page.find("<title>T &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; — pyjudge report</title>") !=
          std::string::npos);
    // The IE run is called out with its reason.
    CHECK(page.find("id=\"ie-runs\"") != std::string::npos);
    CHECK(page.find("<i>(engine_error)</i>") != std::string::npos);
    // Self-contained: nothing loaded from elsewhere.
    CHECK(page.find("http://") == std::string::npos);
    CHECK(page.find("https://") == std::string::npos);
    CHECK(page.find("src=\"") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.find("9.9") != std::string::npos);
  }

  TEST_CASE("histogram geometry: known values into known bars") {
    const auto bars = histogram_bars({0, 0, 1, 3, 3, 3}, 4, 4, 400, 100);
    REQUIRE(bars.size() == 4);
    CHECK(bars[0].count == 2);
    CHECK(bars[1].count == 1);
    CHECK(bars[2].count == 0);
    CHECK(bars[3].count == 3);
    CHECK(bars[3].height == doctest::Approx(100));  // the tallest fills the plot
    CHECK(bars[0].height == doctest::Approx(200.0 / 3));
    CHECK(bars[0].y == doctest::Approx(100 - 200.0 / 3));
    CHECK(bars[2].height == 0);
    CHECK(bars[2].y == 100);
    CHECK(bars[1].x == 100);
    CHECK(bars[1].width == 100);
    CHECK(bars[1].from == 1);
    CHECK(bars[1].to == 2);
    // The top of the range falls in the last bin, values beyond are clamped.
    const auto edge = histogram_bars({10, 12, -1}, 10, 5, 50, 10);
    CHECK(edge[4].count == 2);
    CHECK(edge[0].count == 1);
    // Nothing to show: flat, no division by zero.
    const auto empty = histogram_bars({}, 0, 3, 30, 10);
    CHECK(empty.size() == 3);
    CHECK(empty[0].height == 0);
  }

  TEST_CASE("the charts: a bar per test, a dot per run, the limits as lines") {
    const auto bars = test_bars_svg({{"a", {{"AC", 3}, {"WA", 1}}}, {"b", {{"TLE", 2}}}});
    CHECK(count(bars, "class=\"test-bar\"") == 2);
    CHECK(bars.find(">75%<") != std::string::npos);
    CHECK(bars.find(">0%<") != std::string::npos);
    const auto scatter = scatter_svg({{0.5, 10, "AC", "s 01"}, {2.0, 64, "TLE", "s 02"}}, 2, 64);
    CHECK(count(scatter, "class=\"run\"") == 2);
    CHECK(count(scatter, "class=\"limit\"") == 2);
  }
}
