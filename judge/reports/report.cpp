#include "judge/reports/report.h"

#include <cmath>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

namespace pyjudge::judge {

namespace {

std::string number(double v) { return fmt::format("{:g}", v); }

std::string shown_verdict(const SubmissionGrade& g) {
  return g.graded ? std::string(to_string(g.verdict)) : "not graded";
}

const char* colour_of(const std::string& v) {
  if (v == "AC") return "\033[32m";
  if (v == "IE" || v.empty() || v == "not graded") return "\033[35m";
  if (v == "TLE") return "\033[33m";
  return "\033[31m";
}

// Unknown (0: no run reported it) shows as "-".
std::string memory_mib(std::int64_t bytes) {
  return bytes > 0 ? fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20)) : "-";
}

}  // namespace

std::string group_summary(const GroupResult& g) {
  const std::string max = std::isfinite(g.max_score) ? number(g.max_score) : "-";
  return fmt::format("{} {}/{} {}", g.name, number(g.score), max,
                     g.verdict == GradeVerdict::NotRun ? "-" : to_string(g.verdict));
}

std::string shown_test_verdict(const TestGrade& t) {
  const std::string v = t.verdict == GradeVerdict::NotRun ? "-" : std::string(to_string(t.verdict));
  return t.counted ? v : "(" + v + ")";
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline and CR.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += '?';
        else
          out += static_cast<char>(c);
    }
  }
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string report_table(const GradeReport& r, bool colour) {
  std::size_t width = 10;
  for (const auto& g : r.submissions) width = std::max(width, g.submission.name.size());
  // The time limit as judged: CPU seconds (every problem's, since they are
  // judged on CPU time), with the wall-clock backstop beside it.
  const runner::Limits& l = r.problem.limits;
  const std::string time =
      r.problem.judged_on_cpu()
          ? fmt::format("{} s CPU (wall {} s)", number(r.problem.time_limit_s()), number(l.wall_limit_s))
          : number(l.wall_limit_s) + " s";
  std::string out = fmt::format("{} ({}): {} tests, {}, {}\n\n", r.problem.title, r.problem.name,
                                r.problem.tests.size(), time, runner::format_size(l.memory_bytes));
  out += fmt::format("{:<{}}  {:<10}  {:>9}  {:>8}  {:>10}  {}\n", "submission", width, "verdict", "score", "time",
                     "memory", "tests");
  for (const auto& g : r.submissions) {
    const std::string v = shown_verdict(g);
    std::string tests;
    for (const auto& t : g.tests) {
      const std::string tv = shown_test_verdict(t);
      tests += (tests.empty() ? "" : " ") + (colour ? std::string(colour_of(tv)) + tv + "\033[0m" : tv);
    }
    const std::string verdict_cell = fmt::format("{:<10}", v);
    out += fmt::format("{:<{}}  {}  {:>9}  {:>8}  {:>10}  {}\n", g.submission.name, width,
                       colour ? std::string(colour_of(v)) + verdict_cell + "\033[0m" : verdict_cell,
                       number(g.score) + "/" + number(g.max_score), fmt::format("{:.2f} s", g.max_time),
                       memory_mib(g.max_memory), tests);
    std::string groups;
    for (const auto& gr : g.groups) groups += (groups.empty() ? "" : ", ") + group_summary(gr);
    if (!groups.empty()) out += fmt::format("{:<{}}  groups: {}\n", "", width, groups);
    if (!g.scoring_error.empty()) out += fmt::format("{:<{}}  not graded: {}\n", "", width, g.scoring_error);
  }
  if (r.signal) out += fmt::format("\ninterrupted by signal {}: the grades above are incomplete\n", r.signal);
  return out;
}

namespace {

template <typename T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json test_json(const TestGrade& t) {
  nlohmann::json j = {
      {"test", t.test},
      {"verdict", t.verdict == GradeVerdict::NotRun ? nlohmann::json(nullptr) : nlohmann::json(to_string(t.verdict))},
      {"points", t.points},
      {"max_points", t.max_points},
      {"message", t.message}};
  if (t.verdict != GradeVerdict::NotRun) {
    j["time"] = t.time;
    j["wall_time"] = t.run.wall_time;
    j["cpu_time"] = or_null(t.run.cpu_time);
    j["memory_peak"] = or_null(t.run.memory_peak);
    j["exit_code"] = or_null(t.run.exit_code);
    j["run_verdict"] = to_string(t.run.verdict);
    j["attempts"] = t.run.attempts;
  }
  if (!t.output.empty()) j["output"] = t.output;  // a function test's: what the student's code printed
  if (!t.counted) j["counted"] = false;
  if (!t.team_message.empty()) j["team_message"] = t.team_message;  // an interactive validator's, for the submitter
  return j;
}

// A scoring problem's group results.
nlohmann::json groups_json(const SubmissionGrade& g) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& gr : g.groups)
    groups.push_back(
        {{"group", gr.name},
         {"verdict", gr.verdict == GradeVerdict::NotRun ? nlohmann::json() : nlohmann::json(to_string(gr.verdict))},
         {"score", gr.score},
         {"max_score", std::isfinite(gr.max_score) ? nlohmann::json(gr.max_score) : nlohmann::json()}});
  return groups;
}

nlohmann::json submission_json(const GradeReport& r, const SubmissionGrade& g) {
  nlohmann::json per = nlohmann::json::array();
  for (const auto& t : g.tests) per.push_back(test_json(t));
  nlohmann::json j = {{"submission", g.submission.name},
                      {"path", g.submission.shown},
                      {"verdict", to_string(g.verdict)},
                      {"graded", g.graded},
                      {"score", g.score},
                      {"max_score", g.max_score},
                      {"max_time", g.max_time},
                      {"max_memory", g.max_memory},
                      {"tests", per}};
  if (r.problem.scoring) j["groups"] = groups_json(g);
  if (!g.scoring_error.empty()) j["scoring_error"] = g.scoring_error;
  return j;
}

// An interactive package's sample transcripts.
nlohmann::json interactions_json(const Problem& p) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, text] : p.interactions) out.push_back({{"name", name}, {"text", text}});
  return out;
}

}  // namespace

nlohmann::json report_json(const GradeReport& r) {
  nlohmann::json tests = nlohmann::json::array();
  for (const auto& t : r.problem.tests) {
    const char* kind = t.kind == TestKind::Sample ? "sample" : t.kind == TestKind::Secret ? "secret" : nullptr;
    tests.push_back({{"name", t.name}, {"points", t.points}, {"kind", kind ? nlohmann::json(kind) : nlohmann::json()}});
    if (!t.node.empty()) {  // a function problem's test: its pytest id and Gradescope labels
      tests.back()["id"] = t.node;
      tests.back()["number"] = t.number.empty() ? nlohmann::json() : nlohmann::json(t.number);
      tests.back()["visibility"] = t.visibility;
    }
  }
  nlohmann::json subs = nlohmann::json::array();
  for (const auto& g : r.submissions) subs.push_back(submission_json(r, g));
  return {{"problem", r.problem.name},
          {"title", r.problem.title},
          {"format", to_string(r.problem.format)},
          {"kind", r.problem.functions ? "functions" : "stdin"},
          {"module", r.problem.functions ? nlohmann::json(r.problem.functions->module) : nlohmann::json()},
          {"checker", r.problem.functions ? nlohmann::json() : nlohmann::json(to_string(r.problem.checker.kind))},
          {"limits", to_json(r.problem.limits)},
          {"tests", tests},
          {"type", r.problem.scoring ? "scoring" : "pass-fail"},
          {"interactive", r.problem.interactive},
          {"interactions", interactions_json(r.problem)},
          {"scoring_rules", !r.problem.scoring            ? nlohmann::json()
                            : r.problem.scoring->spec2025 ? nlohmann::json("2025-09")
                                                          : nlohmann::json("problemtools")},
          {"submissions", subs},
          {"interrupted", r.signal != 0},
          {"wall_time", r.seconds}};
}

namespace {

// JUnit's tallies: an IE or a test not run is an error, any other non-AC a failure.
struct Tally {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  double time = 0;
  void add(const TestGrade& t) {
    ++tests;
    if (t.verdict == GradeVerdict::IE || t.verdict == GradeVerdict::NotRun)
      ++errors;
    else if (t.verdict != GradeVerdict::AC)
      ++failures;
    time += t.run.wall_time;
  }
};

std::string junit_testcase(const GradeReport& r, const SubmissionGrade& g, const TestGrade& t) {
  std::string x = fmt::format(R"(    <testcase classname="{}.{}" name="{}" time="{:.3f}")", xml_escape(r.problem.name),
                              xml_escape(g.submission.name), xml_escape(t.test), t.run.wall_time);
  if (t.verdict == GradeVerdict::AC) return x + "/>\n";
  const char* kind = t.verdict == GradeVerdict::IE || t.verdict == GradeVerdict::NotRun ? "error" : "failure";
  const std::string v = t.verdict == GradeVerdict::NotRun ? "not run" : std::string(to_string(t.verdict));
  return x + fmt::format(">\n      <{} type=\"{}\" message=\"{}\">{}</{}>\n    </testcase>\n", kind, xml_escape(v),
                         xml_escape(v + (t.message.empty() ? "" : ": " + t.message)), xml_escape(t.message), kind);
}

// A scoring problem's groups: "group:NAME" = "SCORE/MAX VERDICT".
std::string group_properties(const SubmissionGrade& g) {
  std::string x;
  for (const auto& gr : g.groups) {
    const std::string text = group_summary(gr);
    x += fmt::format(R"(<property name="group:{}" value="{}"/>)", xml_escape(gr.name),
                     xml_escape(text.substr(gr.name.size() + 1)));
  }
  return x;
}

std::string junit_testsuite(const GradeReport& r, const SubmissionGrade& g) {
  Tally tally;
  for (const auto& t : g.tests) tally.add(t);
  std::string x = fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                              xml_escape(g.submission.name), tally.tests, tally.failures, tally.errors, tally.time);
  x += fmt::format(
      "    <properties><property name=\"score\" value=\"{}\"/><property name=\"max_score\" value=\"{}\"/>"
      "<property name=\"path\" value=\"{}\"/>{}</properties>\n",
      number(g.score), number(g.max_score), xml_escape(g.submission.shown), group_properties(g));
  for (const auto& t : g.tests) x += junit_testcase(r, g, t);
  return x + "  </testsuite>\n";
}

}  // namespace

std::string report_junit(const GradeReport& r) {
  Tally all;
  for (const auto& g : r.submissions)
    for (const auto& t : g.tests) all.add(t);
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                   xml_escape(r.problem.name), all.tests, all.failures, all.errors, r.seconds);
  for (const auto& g : r.submissions) x += junit_testsuite(r, g);
  return x + "</testsuites>\n";
}

std::string report_csv(const GradeReport& r) {
  std::string out = "submission,score,max_score,verdict";
  // A scoring problem's groups, a column each, named as in the tree.
  if (r.problem.scoring)
    for (std::size_t i = 1; i < r.problem.scoring->groups.size(); ++i)
      out += "," + csv_field(r.problem.scoring->groups[i].name);
  out += "\n";
  for (const auto& g : r.submissions) {
    out += fmt::format("{},{},{},{}", csv_field(g.submission.shown), number(g.score), number(g.max_score),
                       csv_field(shown_verdict(g)));
    for (const auto& gr : g.groups) out += "," + number(gr.score);
    out += "\n";
  }
  return out;
}

}  // namespace pyjudge::judge
