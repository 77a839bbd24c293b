#include "judge/verify.h"

#include <algorithm>
#include <cmath>

#include <spdlog/fmt/fmt.h>

#include "judge/reports/report.h"

namespace pyjudge::judge {

namespace {

// A scoring problem's expectations of the score.
std::optional<std::string> unmet_score(const Expectation& e, const SubmissionGrade& g) {
  if (e.full_score && !g.full_score())
    return fmt::format("got {} with {:g} of {:g}, not the full score", to_string(g.verdict), g.score, g.max_score);
  if (e.partial && g.verdict != GradeVerdict::AC)
    return "got " + std::string(to_string(g.verdict)) + ", but partially_accepted must be AC";
  if (e.score_range && (g.score < e.score_range->first - 1e-9 || g.score > e.score_range->second + 1e-9))
    return e.score_range->first == e.score_range->second
               ? fmt::format("scored {:g}, not {:g}", g.score, e.score_range->first)
               : fmt::format("scored {:g}, not in [{:g}, {:g}]", g.score, e.score_range->first, e.score_range->second);
  if (e.partial && !e.score_range && g.full_score())
    return fmt::format("scored the full {:g}, but partially_accepted must score less", g.score);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> unmet(const Expectation& e, const SubmissionGrade& g) {
  if (!g.graded)
    return "not graded (" +
           (g.verdict == GradeVerdict::NotRun ? std::string("interrupted") : std::string(to_string(g.verdict))) + ")";
  if (e.permitted.empty()) {
    if (to_string(g.verdict) != e.verdict) return "got " + std::string(to_string(g.verdict));
    if (e.score && std::abs(*e.score - g.score) > 1e-9) return fmt::format("scored {:g}, not {:g}", g.score, *e.score);
    return std::nullopt;
  }
  if (auto why = unmet_score(e, g)) return why;
  bool required = e.required.empty();
  for (const auto& t : g.tests) {
    if (!t.counted) continue;  // after a rejection in an on_reject: break group: not judged
    const std::string v = package_verdict(std::string(to_string(t.verdict)));
    if (!e.permitted.contains(v))
      return "test " + t.test + " got " + std::string(to_string(t.verdict)) + ", which " + e.want + " may not";
    required = required || e.required.contains(v);
  }
  if (required) return std::nullopt;
  std::string need;
  for (const auto& r : e.required) need += (need.empty() ? "" : " or ") + r;
  return "no test got " + need;
}

bool VerifyReport::all_met() const {
  const auto departs = [](const Replay& r) { return r.outcome == Replay::Outcome::Departs; };
  return inputs.count(InputCheck::Outcome::Invalid) == 0 && std::none_of(replays.begin(), replays.end(), departs) &&
         std::all_of(rows.begin(), rows.end(), [](const VerifyRow& r) { return !r.unmet; });
}

bool VerifyReport::all_graded() const {
  const auto not_graded = [](const Replay& r) { return r.outcome == Replay::Outcome::NotGraded; };
  return grade.signal == 0 && (inputs.checks.empty() || inputs.complete()) &&
         std::none_of(replays.begin(), replays.end(), not_graded) &&
         std::all_of(rows.begin(), rows.end(), [](const VerifyRow& r) { return r.grade.graded; });
}

VerifyReport verify(const Problem& problem, const std::vector<SampleSubmission>& samples,
                    std::vector<SkippedSubmission> skipped, const GradeOptions& opt, Executor& executor) {
  std::vector<Submission> subs;
  subs.reserve(samples.size());
  for (const auto& s : samples) subs.push_back(s.submission);
  VerifyReport r;
  r.skipped = std::move(skipped);
  r.inputs = validate_inputs(problem, opt, executor);
  if (r.inputs.signal != 0 || !r.inputs.problem_error.empty()) {
    r.grade.problem = problem;
    r.grade.signal = r.inputs.signal;
    r.grade.problem_error = r.inputs.problem_error;
    return r;
  }
  int signal = 0;
  r.replays = replay_interactions(problem, opt, executor, signal);
  if (signal != 0) {
    r.grade.problem = problem;
    r.grade.signal = signal;
    return r;
  }
  r.grade = grade(problem, subs, opt, executor);
  // Stopped before its runs (an interrupt, the problem's own error): no rows.
  if (r.grade.submissions.size() != samples.size()) return r;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& g = r.grade.submissions.at(i);
    r.rows.push_back({samples[i], g, unmet(samples[i].expect, g)});
  }
  return r;
}

namespace {

// The input validators' part of the table: a line saying all is well, or a
// line per invalid input and per failed check.
std::string input_lines(const InputValidation& v, bool color) {
  if (v.validators.empty()) return "";
  const auto paint = [color](const std::string& s) { return color ? "\033[31m" + s + "\033[0m" : s; };
  std::string out = "\n";
  for (const auto& c : v.checks) {
    if (c.outcome == InputCheck::Outcome::Invalid)
      out += paint(fmt::format("input {}: invalid by {}: {}", c.test, c.validator, c.message)) + "\n";
    else if (c.outcome == InputCheck::Outcome::Failed)
      out += paint(fmt::format("input {}: {} failed: {}", c.test, c.validator, c.message)) + "\n";
  }
  if (!v.error.empty()) out += paint("input validators: " + v.error) + "\n";
  out += fmt::format("input validators: {} on {} test inputs, {} valid\n", v.validators.size(),
                     v.checks.size() / v.validators.size(), v.count(InputCheck::Outcome::Valid));
  return out;
}

// The sample transcripts' part of the table: a line each.
std::string replay_lines(const std::vector<Replay>& replays, bool color) {
  if (replays.empty()) return "";
  std::string out = "\n";
  for (const auto& r : replays) {
    const bool bad = r.outcome == Replay::Outcome::Departs || r.outcome == Replay::Outcome::NotGraded;
    std::string line = "interaction " + r.sample + ": ";
    switch (r.outcome) {
      case Replay::Outcome::Follows:
        line += "the validator follows and accepts it";
        break;
      case Replay::Outcome::Departs:
        line += "NOT followed: " + r.message;
        break;
      case Replay::Outcome::NotReplayed:
        line += "not replayed: " + r.message;
        break;
      case Replay::Outcome::NotGraded:
        line += "not graded: " + r.message;
        break;
    }
    out += (color && bad ? "\033[31m" + line + "\033[0m" : line) + "\n";
  }
  return out;
}

// The tests' verdicts in order, one letter-group each: "AC AC WA TLE".
std::string test_verdicts(const SubmissionGrade& g) {
  std::string s;
  for (const auto& t : g.tests) s += (s.empty() ? "" : " ") + shown_test_verdict(t);
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

}  // namespace

std::string verify_table(const VerifyReport& r, bool color) {
  const auto paint = [color](const std::string& s, bool good) {
    return color ? (good ? "\033[32m" : "\033[31m") + s + "\033[0m" : s;
  };
  std::size_t wide = 10;
  for (const auto& row : r.rows) wide = std::max(wide, row.sample.submission.shown.size());
  for (const auto& s : r.skipped) wide = std::max(wide, s.shown.size());
  const auto& p = r.grade.problem;
  std::string out = fmt::format("{} ({}, {}): {} tests, {} submissions\n\n", p.title, p.name, to_string(p.format),
                                p.tests.size(), r.rows.size());
  out += fmt::format("{:<{}}  {:<20}  {:<7}  {:<40}  {}\n", "submission", wide, "want", "got", "tests", "");
  for (const auto& row : r.rows) {
    const std::string mark = row.unmet ? paint("FAIL " + *row.unmet, false) : paint("ok", true);
    // A scoring problem's score beside the verdict: "AC 50".
    const std::string got =
        std::string(to_string(row.grade.verdict)) + (p.scoring ? fmt::format(" {:g}", row.grade.score) : std::string());
    out += fmt::format("{:<{}}  {:<20}  {:<7}  {:<40}  {}\n", row.sample.submission.shown, wide, row.sample.expect.want,
                       got, test_verdicts(row.grade), mark);
  }
  for (const auto& s : r.skipped)
    out += fmt::format("{:<{}}  skipped: {} (pyjudge grades Python 3 submissions)\n", s.shown, wide, s.why);
  out += input_lines(r.inputs, color);
  out += replay_lines(r.replays, color);
  const auto failed = std::count_if(r.rows.begin(), r.rows.end(), [](const VerifyRow& x) { return x.unmet; });
  const auto invalid = r.inputs.count(InputCheck::Outcome::Invalid);
  const std::string skipped = r.skipped.empty() ? "" : fmt::format(", {} skipped", r.skipped.size());
  const auto departs = std::count_if(r.replays.begin(), r.replays.end(),
                                     [](const Replay& x) { return x.outcome == Replay::Outcome::Departs; });
  const std::string inputs = (invalid == 0 ? "" : fmt::format(", {} test inputs invalid", invalid)) +
                             (departs == 0 ? "" : fmt::format(", {} transcripts not followed", departs));
  out += failed == 0 && invalid == 0 && departs == 0
             ? fmt::format("\n{}: verified ({} submissions as expected{})\n", p.name, r.rows.size(), skipped)
             : fmt::format("\n{}: NOT verified ({} of {} submissions not as expected{}{})\n", p.name, failed,
                           r.rows.size(), skipped, inputs);
  return out;
}

nlohmann::json verify_json(const VerifyReport& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::json tests = nlohmann::json::array();
    for (const auto& t : row.grade.tests) {
      tests.push_back({{"test", t.test}, {"verdict", to_string(t.verdict)}});
      if (!t.counted) tests.back()["counted"] = false;
    }
    rows.push_back({{"submission", row.sample.submission.shown},
                    {"want", row.sample.expect.want},
                    {"got", to_string(row.grade.verdict)},
                    {"score", row.grade.score},
                    {"max_score", row.grade.max_score},
                    {"graded", row.grade.graded},
                    {"ok", !row.unmet},
                    {"why", row.unmet ? nlohmann::json(*row.unmet) : nlohmann::json()},
                    {"tests", tests}});
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : r.skipped) skipped.push_back({{"submission", s.shown}, {"why", s.why}});
  const auto& p = r.grade.problem;
  return {{"problem", p.name},
          {"format", to_string(p.format)},
          {"verified", r.all_met()},
          {"seconds", r.grade.seconds},
          {"submissions", rows},
          {"skipped", skipped},
          {"inputs", input_validation_json(r.inputs)},
          {"interactions", replays_json(r.replays)}};
}

}  // namespace pyjudge::judge
