#include "judge/reports/gradescope.h"

#include <cmath>

#include <spdlog/fmt/fmt.h>

#include "judge/reports/report.h"

namespace pyjudge::judge {

namespace {

// A function problem's test says its own (@visibility); a package's secret
// tests wait for the grades to be published.
std::string visibility_of(const TestCase& t) {
  if (!t.visibility.empty()) return t.visibility;
  return t.kind == TestKind::Secret ? "after_published" : "visible";
}

std::string test_output(const TestGrade& t, TestKind kind) {
  if (t.verdict == GradeVerdict::NotRun) return "not run (the grading was interrupted)";
  std::string out = fmt::format("{} in {:.2f} s", to_string(t.verdict), t.time);
  if (!t.team_message.empty())  // the validator's words for the submitter (teammessage.txt)
    out += ": " + t.team_message;
  else if (kind != TestKind::Secret && !t.message.empty())
    out += ": " + t.message;
  if (t.verdict == GradeVerdict::IE)
    out += " (the judge failed on this test, not the submission; ask the course staff)";
  if (!t.output.empty()) out += "\n\nYour code printed:\n" + t.output;
  return out;
}

std::string summary(const GradeReport& r, const SubmissionGrade& g) {
  std::size_t passed = 0;
  for (const auto& t : g.tests) passed += t.verdict == GradeVerdict::AC ? 1 : 0;
  std::string out = fmt::format("{}: {} of {} tests passed; verdict {}.", r.problem.title, passed, g.tests.size(),
                                g.verdict == GradeVerdict::NotRun ? "none" : to_string(g.verdict));
  if (r.problem.scoring) out += fmt::format(" Score {:g} of {:g}.", g.score, g.max_score);
  if (!g.graded) out += " This submission could not be fully graded; the course staff have been told.";
  if (r.signal != 0) out += " The grading was interrupted.";
  return out;
}

}  // namespace

nlohmann::json report_gradescope(const GradeReport& r) {
  const SubmissionGrade& g = r.submissions.at(0);
  nlohmann::json tests = nlohmann::json::array();
  // A scoring problem's points are its groups': one entry per group first,
  // then its tests, which carry no points of their own.
  for (const auto& gr : g.groups) {
    tests.push_back({{"name", "group " + gr.name},
                     {"score", gr.score},
                     {"status", gr.verdict == GradeVerdict::AC ? "passed" : "failed"},
                     {"output", group_summary(gr)},
                     {"visibility", gr.name == "sample" ? "visible" : "after_published"}});
    if (std::isfinite(gr.max_score)) tests.back()["max_score"] = gr.max_score;
  }
  for (std::size_t i = 0; i < g.tests.size(); ++i) {
    const auto& t = g.tests[i];
    const TestCase& tc = r.problem.tests.at(i);
    tests.push_back({{"name", t.test},
                     {"number", tc.number.empty() ? std::to_string(i + 1) : tc.number},
                     {"status", t.verdict == GradeVerdict::AC ? "passed" : "failed"},
                     {"output", test_output(t, tc.kind) + (t.counted ? "" : " (does not count)")},
                     {"visibility", visibility_of(tc)}});
    if (!r.problem.scoring) {
      tests.back()["score"] = t.points;
      tests.back()["max_score"] = t.max_points;
    }
    if (!tc.tags.empty()) tests.back()["tags"] = tc.tags;
  }
  return {{"score", g.score},        {"execution_time", r.seconds},   {"output", summary(r, g)},
          {"visibility", "visible"}, {"stdout_visibility", "hidden"}, {"tests", tests}};
}

}  // namespace pyjudge::judge
