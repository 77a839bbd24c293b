#include "judge/reports/html_report.h"

#include <cmath>
#include <fstream>

#include <spdlog/fmt/fmt.h>

#include "judge/reports/report.h"
#include "judge/reports/svg_charts.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// The page's look: readable from 320 px up, a print stylesheet, colours
// with contrast for white text.
constexpr const char* kStyle = R"css(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:12px;color:#1a1a1a;background:#fff}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
.meta{color:#444}.meta span{display:inline-block;margin-right:1.2em}
.chart{width:100%;height:auto;max-width:760px;display:block}
.chart text{font-size:11px;fill:#222}.chart .tick,.chart .count{text-anchor:middle}.chart .test-name{text-anchor:end}
.chart .label{text-anchor:middle;font-size:12px}.chart .axis{stroke:#444}.chart .plot{fill:#fafafa;stroke:#bbb}
.chart .limit{stroke:#c62828;stroke-dasharray:6 4;stroke-width:1.5}.chart .run{stroke:#fff;stroke-width:.8}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:4px 6px;border-bottom:1px solid #e0e0e0;text-align:left;vertical-align:top}
th[data-sort]{cursor:pointer;white-space:nowrap;user-select:none}th[data-sort]::after{content:" \2195";color:#888}
td.num{text-align:right;white-space:nowrap}
.v{display:inline-block;min-width:2.6em;padding:0 .3em;margin:1px;border-radius:3px;color:#fff;text-align:center;font-weight:600;font-size:12px}
details{margin:.3em 0}summary{cursor:pointer}pre{white-space:pre-wrap;word-break:break-all;background:#f5f5f5;padding:6px;margin:2px 0;font-size:12px;max-height:16em;overflow:auto}
.legend .v{margin-right:.4em}.ie{border-left:4px solid #455a64;padding-left:8px}
@media (max-width:600px){body{font-size:14px;padding:6px}th,td{padding:3px}.hide-narrow{display:none}}
@media print{th[data-sort]::after{content:""}details{break-inside:avoid}details>*{display:block}.scroll{overflow:visible}body{max-width:none}}
)css";

// Sorting the table by a column, and nothing else.
constexpr const char* kScript = R"js(
document.querySelectorAll('th[data-sort]').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0], i = th.cellIndex;
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[i].getAttribute('data-v'), y = b.cells[i].getAttribute('data-v');
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (th.getAttribute('data-sort') === 'num') ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
)js";

std::string esc(std::string_view s) { return xml_escape(s); }

std::string badge(std::string_view verdict) {
  const std::string v = verdict.empty() ? "-" : std::string(verdict);
  return fmt::format(R"(<span class="v" style="background:{}">{}</span>)", verdict_colour(v), esc(v));
}

double mib(std::int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

// The first KiB of a run's stderr, or nothing.
std::string stderr_head(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string s(1024, '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

std::string header(const GradeReport& r, const HtmlReportInfo& info) {
  const auto& p = r.problem;
  std::string out = fmt::format("<h1>{}</h1>\n<p class=\"meta\">", esc(p.title));
  const std::pair<const char*, std::string> fields[] = {{"problem", p.name},
                                                        {"format", std::string(to_string(p.format))},
                                                        {"tests", std::to_string(p.tests.size())},
                                                        {"time limit", fmt::format("{:g} s", p.limits.wall_limit_s)},
                                                        {"memory", fmt::format("{:g} MiB", mib(p.limits.memory_bytes))},
                                                        {"checker", std::string(to_string(p.checker.kind))},
                                                        {"submissions", std::to_string(r.submissions.size())},
                                                        {"graded", info.generated_at},
                                                        {"pyjudge", info.version}};
  for (const auto& [k, v] : fields) out += fmt::format("<span>{}: <b>{}</b></span>", k, esc(v));
  out += "</p>\n";
  if (r.signal != 0)
    out += fmt::format("<p><b>Interrupted by signal {}: the grades are incomplete.</b></p>\n", r.signal);
  out += "<p class=\"legend\">";
  for (const char* v : {"AC", "WA", "TLE", "MLE", "RE", "OLE", "IE", "-"}) out += badge(v);
  return out + " (- : not run)</p>\n";
}

std::string charts(const GradeReport& r) {
  std::vector<double> scores;
  std::vector<TestVerdicts> per_test(r.problem.tests.size());
  std::vector<RunPoint> points;
  for (std::size_t i = 0; i < r.problem.tests.size(); ++i) per_test[i].test = r.problem.tests[i].name;
  for (const auto& g : r.submissions) {
    scores.push_back(g.score);
    for (std::size_t i = 0; i < g.tests.size() && i < per_test.size(); ++i) {
      const auto& t = g.tests[i];
      ++per_test[i].counts[t.verdict == GradeVerdict::NotRun ? "-" : std::string(to_string(t.verdict))];
      if (t.verdict != GradeVerdict::NotRun && t.run.memory_peak)
        points.push_back(
            {t.time, mib(*t.run.memory_peak), std::string(to_string(t.verdict)), g.submission.name + " " + t.test});
    }
  }
  const double max_score = r.problem.max_score();
  return "<h2>Scores</h2>\n<p>How many submissions got each score (out of " + fmt::format("{:g}", max_score) +
         ").</p>\n" + histogram_svg(scores, max_score) +
         "\n<h2>Tests</h2>\n<p>Each test's runs by verdict; the figure is its pass rate.</p>\n" +
         test_bars_svg(per_test) +
         "\n<h2>Time and memory</h2>\n<p>One dot per run, coloured by verdict; the dashed lines are the limits. "
         "Runs with no memory figure (killed for output, say) are left out.</p>\n" +
         scatter_svg(points, r.problem.time_limit_s(), mib(r.problem.limits.memory_bytes)) + "\n";
}

std::string detail(const SubmissionGrade& g, const fs::path& out) {
  std::string d = fmt::format("<details class=\"sub-detail\" id=\"d-{}\"><summary>{} — {}</summary>\n",
                              esc(g.submission.name), esc(g.submission.name), esc(g.submission.shown));
  d += "<div class=\"scroll\"><table><thead><tr><th>test</th><th>verdict</th><th>time</th><th>memory</th>"
       "<th>message</th></tr></thead><tbody>\n";
  for (const auto& t : g.tests) {
    const fs::path dir =
        (g.submission.result_root.empty() ? fs::path(g.submission.name) : g.submission.result_root) / fs::path(t.test);
    const std::string err = t.verdict == GradeVerdict::NotRun ? "" : stderr_head(out / dir / "stderr");
    d += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.3f} s</td><td class=\"num\">{}</td><td>{}{}</td>"
        "</tr>\n",
        esc(t.test) + (t.counted ? "" : " <i>(does not count)</i>"), badge(to_string(t.verdict)), t.time,
        t.run.memory_peak ? fmt::format("{:.1f} MiB", mib(*t.run.memory_peak)) : "-", esc(t.message),
        err.empty() ? "" : "<pre class=\"stderr\">" + esc(err) + "</pre>");
  }
  d += "</tbody></table></div>";
  if (!g.groups.empty()) {  // a scoring problem's groups
    d += "<div class=\"scroll\"><table class=\"groups\"><thead><tr><th>group</th><th>verdict</th><th>score</th>"
         "</tr></thead><tbody>\n";
    for (const auto& gr : g.groups)
      d += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{:g}/{}</td></tr>\n", esc(gr.name),
                       badge(gr.verdict == GradeVerdict::NotRun ? "" : to_string(gr.verdict)), gr.score,
                       std::isfinite(gr.max_score) ? fmt::format("{:g}", gr.max_score) : "-");
    d += "</tbody></table></div>";
  }
  if (!g.scoring_error.empty()) d += "<p class=\"ie\">Not graded: " + esc(g.scoring_error) + "</p>";
  return d + "</details>\n";
}

std::string submissions_table(const GradeReport& r, const fs::path& out) {
  std::string t =
      "<h2>Submissions</h2>\n<p>Click a heading to sort; open a submission below the table for its tests.</p>\n"
      "<div class=\"scroll\"><table id=\"submissions\"><thead><tr><th data-sort=\"text\">submission</th>"
      "<th data-sort=\"text\">verdict</th><th data-sort=\"num\">score</th><th data-sort=\"num\">time</th>"
      "<th data-sort=\"num\">memory</th><th class=\"hide-narrow\">tests</th></tr></thead><tbody>\n";
  std::string details;
  for (const auto& g : r.submissions) {
    std::string cells;
    for (const auto& x : g.tests) cells += badge(to_string(x.verdict));
    t += fmt::format(
        "<tr class=\"sub-row\"><td data-v=\"{0}\"><a href=\"#d-{0}\">{0}</a></td><td data-v=\"{1}\">{2}</td>"
        "<td class=\"num\" data-v=\"{3}\">{3:g}/{4:g}</td><td class=\"num\" data-v=\"{5}\">{5:.2f} s</td>"
        "<td class=\"num\" data-v=\"{6}\">{7}</td><td class=\"hide-narrow\">{8}</td></tr>\n",
        esc(g.submission.name), esc(std::string(to_string(g.verdict))), badge(to_string(g.verdict)), g.score,
        g.max_score, g.max_time, g.max_memory, g.max_memory > 0 ? fmt::format("{:.1f} MiB", mib(g.max_memory)) : "-",
        cells);
    details += detail(g, out);
  }
  return t + "</tbody></table></div>\n" + details;
}

std::string internal_errors(const GradeReport& r) {
  std::string items;
  for (const auto& g : r.submissions)
    for (const auto& t : g.tests)
      if (t.verdict == GradeVerdict::IE)
        items += fmt::format("<li><b>{}</b> on <b>{}</b>: {} <i>({})</i></li>\n", esc(g.submission.name), esc(t.test),
                             esc(t.message), esc(to_string(t.run.ie_reason)));
  if (items.empty()) return "<h2>Internal errors</h2>\n<p>None: every run was judged.</p>\n";
  return "<h2>Internal errors</h2>\n<div class=\"ie\"><p>These runs are the judge's failures, not the submissions'; "
         "their submissions are not graded.</p><ul id=\"ie-runs\">\n" +
         items + "</ul></div>\n";
}

// An interactive package's sample transcripts, as the statement shows them.
std::string interactions(const Problem& p) {
  if (p.interactions.empty()) return "";
  std::string out =
      "<h2>Sample interactions</h2>\n<p>Lines starting with &gt; are the submission's, with &lt; the "
      "judge's.</p>\n";
  for (const auto& [name, text] : p.interactions)
    out += fmt::format("<h3>{}</h3>\n<pre class=\"interaction\">{}</pre>\n", esc(name), esc(text));
  return out;
}

}  // namespace

std::string report_html(const GradeReport& r, const fs::path& out, const HtmlReportInfo& info) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += fmt::format("<title>{} — pyjudge report</title>\n<style>{}</style>\n</head><body>\n", esc(r.problem.title),
                      kStyle);
  page += header(r, info) + charts(r) + submissions_table(r, out) + internal_errors(r) + interactions(r.problem);
  page += fmt::format("<script>{}</script>\n</body></html>\n", kScript);
  return page;
}

}  // namespace pyjudge::judge
