// report.html against the real engine and a real browser: a graded sample
// problem (with a submission whose stderr holds a script tag) opened in
// Debian's headless Chromium, its DOM and a screenshot checked.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
namespace fs = std::filesystem;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// Headless Chromium, its profile in the scratch folder; stdout to `out`.
int chromium(const std::string& args, const fs::path& out) {
  const fs::path home = engine_env().scratch / "chromium";
  fs::create_directories(home);
  const std::string cmd = "HOME='" + home.string() + "' timeout 120 chromium --headless --no-sandbox --disable-gpu " +
                          "--user-data-dir='" + (home / "profile").string() + "' " + args + " > '" + out.string() +
                          "' 2>/dev/null";
  return std::system(cmd.c_str());
}

}  // namespace

TEST_SUITE("engine/report_html") {
  TEST_CASE("report.html in headless Chromium: a row per submission, a bar per test, no script from a submission") {
    REQUIRE_MESSAGE(std::system("command -v chromium >/dev/null") == 0,
                    "chromium is missing: install it with 'apt-get install chromium' (scripts/setup.sh --with-tests "
                    "does)");
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "sum";
    const auto subs = engine_env().scratch / "html-subs";
    fs::create_directories(subs);
    fs::copy(problem / "submissions", subs, fs::copy_options::overwrite_existing | fs::copy_options::recursive);
    std::ofstream(subs / "hostile.py") << "import sys\n"
                                          "sys.stderr.write(\"<script>document.title='pwned'</script>\\n\")\n"
                                          "print(sum(map(int, sys.stdin.read().split())))\n";
    const auto out = engine_env().scratch / "html-out";
    auto r = run_pyjudge({"grade", problem.string(), subs.string(), "--out", out.string(), "--quiet"});
    CHECK(r.exit_code == 1);
    const fs::path page = out / "report.html";
    REQUIRE(fs::exists(page));
    // --format html prints the same page.
    auto printed = run_pyjudge({"grade", problem.string(), (subs / "ac.py").string(), "--out",
                                (engine_env().scratch / "html-one").string(), "--format", "html"});
    CHECK(printed.exit_code == 0);
    CHECK(printed.out.rfind("<!DOCTYPE html>", 0) == 0);

    const fs::path dom = engine_env().scratch / "dom.html";
    REQUIRE(chromium("--dump-dom 'file://" + page.string() + "'", dom) == 0);
    const std::string d = slurp(dom);
    CHECK(count(d, "class=\"sub-row\"") == 7);  // six samples and the hostile one
    CHECK(count(d, "class=\"test-bar\"") == 3);
    CHECK(d.find("<title>Sum of integers — pyjudge report</title>") != std::string::npos);
    CHECK(d.find("pwned</title>") == std::string::npos);
    // The hostile stderr is there, as text.
    CHECK(d.find("&lt;script&gt;document.title='pwned'&lt;/script&gt;") != std::string::npos);

    const fs::path shot = engine_env().scratch / "report.png";
    CHECK(chromium("--window-size=1200,2400 --screenshot='" + shot.string() + "' 'file://" + page.string() + "'",
                   engine_env().scratch / "shot.log") == 0);
    const std::string check =
        "python3 '" + std::string(PYJUDGE_TESTS) + "/html/png_not_blank.py' '" + shot.string() + "' >/dev/null";
    CHECK(std::system(check.c_str()) == 0);
    // Kept beside the build for docs/ (docs/report-html.png, shown in docs/grade.md).
    std::error_code ec;
    fs::copy_file(shot, fs::path(PYJUDGE_BINARY).parent_path() / "report-html.png",
                  fs::copy_options::overwrite_existing, ec);
  }
}
