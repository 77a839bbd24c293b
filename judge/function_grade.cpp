#include "judge/function_grade.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "runner/job/files.h"
#include "runner/job/job.h"
#include "runner/shared/protocol.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// Where the collection run's result goes under OUT (no submission's name
// can start with '_').
constexpr const char* kCollectDir = "_tests";
// What one test's report line may take on the staff's stdout.
constexpr std::int64_t kReportBytesPerTest = 96 << 10;

// The report's lines that parse as JSON objects with an "event".
std::vector<nlohmann::json> report_events(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("event") && j["event"].is_string()) out.push_back(std::move(j));
  }
  return out;
}

std::string text_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_of(const nlohmann::json& j, const char* key, double fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() && std::isfinite(it->get<double>()) ? it->get<double>() : fallback;
}

// A result file's text, or "" when it cannot be read (the report then
// lacks the tests, which are IE).
std::string text_file(const fs::path& p) {
  auto t = runner::read_file(p);
  return t ? std::move(*t) : std::string();
}

// What went wrong with a run that gave no (complete) report, in words.
std::string run_trouble(const runner::JobResult& r, const std::string& stderr_text) {
  std::string why = std::string(to_string(r.verdict));
  if (!r.message.empty()) why += fmt::format(" ({})", r.message);
  if (!stderr_text.empty()) why += fmt::format(": {}", stderr_text.substr(0, 1000));
  return why;
}

runner::Job function_job(const Problem& problem, const std::string& id, const fs::path& result_dir) {
  runner::Job j;
  j.id = id;
  j.module = problem.functions->module;
  j.limits = problem.limits;
  j.result_dir = result_dir;
  j.files = problem.functions->staff_files;
  return j;
}

}  // namespace

Expected<std::vector<TestCase>> collect_function_tests(const Problem& problem, const GradeOptions& opt,
                                                       Executor& executor, bool& staff_fault) {
  staff_fault = false;
  runner::Job j = function_job(problem, "collect", kCollectDir);
  j.collect = true;
  j.script = problem.functions->staff_files.front().second;  // not sent: validate() wants a file
  j.limits.cpu_time_limit_s = 0;
  j.limits.wall_limit_s = 120;
  j.limits.stdout_limit_bytes = 8LL << 20;
  const BatchOutcome o = run_grade_jobs({j}, opt, executor, false, "tests");
  if (o.signal != 0) return fail("interrupted while listing the staff's tests");
  if (!o.error.empty()) return fail(o.error);
  const auto& e = o.entries.at(0);
  if (e.state != EntryState::Done) return fail("the staff's tests were not listed");
  const fs::path dir = runner::result_dir_of(opt.out, e.job);
  const std::string out = text_file(dir / "stdout");
  std::vector<TestCase> tests;
  bool ended = false;
  for (const auto& ev : report_events(out)) {
    const std::string kind = text_of(ev, "event");
    if (kind == "error") {
      staff_fault = true;
      return fail(problem.dir.string() + ": the staff's tests cannot be collected: " + text_of(ev, "message"));
    }
    if (kind == "end") ended = true;
    if (kind != "collected") continue;
    TestCase t;
    t.node = text_of(ev, "id");
    t.name = text_of(ev, "name");
    if (t.name.empty()) t.name = t.node;
    t.id = t.name;
    t.number = ev.contains("number") && ev["number"].is_string() ? ev["number"].get<std::string>() : "";
    t.visibility = text_of(ev, "visibility");
    if (const auto tags = ev.find("tags"); tags != ev.end() && tags->is_array())
      for (const auto& tag : *tags)
        if (tag.is_string()) t.tags.push_back(tag.get<std::string>());
    t.points = std::max(0.0, number_of(ev, "weight", 1));
    tests.push_back(std::move(t));
  }
  if (!ended || e.result.verdict != runner::Verdict::OK)
    return fail("the staff's tests could not be listed: " + run_trouble(e.result, text_file(dir / "stderr")));
  if (tests.empty()) {
    staff_fault = true;
    return fail(problem.dir.string() + ": the staff's tests hold no test");
  }
  return tests;
}

namespace {

std::optional<double> number_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number() || !std::isfinite(it->get<double>())) return std::nullopt;
  return it->get<double>();
}

// A test's line of the staff's report into its grade.
void read_test_line(const nlohmann::json& ev, const TestCase& t, TestGrade& tg) {
  const auto v = grade_verdict_from_string(text_of(ev, "verdict"));
  tg.verdict = v && *v != GradeVerdict::NotRun ? *v : GradeVerdict::IE;
  tg.points = tg.verdict == GradeVerdict::IE ? 0 : std::clamp(number_of(ev, "score", 0), 0.0, t.points);
  tg.message = text_of(ev, "message");
  if (tg.verdict == GradeVerdict::IE && tg.message.empty()) tg.message = "bad verdict in the staff's report";
  const std::string err_text = text_of(ev, "stderr");
  tg.output = text_of(ev, "stdout");
  if (!tg.output.empty() && !err_text.empty()) tg.output += "\n";
  tg.output += err_text;
  // The test's own figures: the student's CPU time, its wall time, its memory.
  const auto cpu = number_field(ev, "cpu_ns");
  tg.run.cpu_time = cpu ? std::optional<double>(*cpu / 1e9) : std::nullopt;
  if (const auto wall = number_field(ev, "wall_ns")) tg.run.wall_time = *wall / 1e9;
  const auto mem = number_field(ev, "memory_peak");
  tg.run.memory_peak = mem ? std::optional<std::int64_t>(static_cast<std::int64_t>(*mem)) : std::nullopt;
  tg.time = tg.run.cpu_time.value_or(0);
}

// Why a test has no line in the report.
std::string missing_line(const std::string& staff_error, const runner::JobResult& run) {
  if (!staff_error.empty()) return "the staff's tests failed: " + staff_error;
  if (run.verdict == runner::Verdict::OK) return "the staff's process did not report this test";
  return "the grading stopped before this test: " + run_trouble(run, "");
}

}  // namespace

std::vector<TestGrade> function_test_grades(const std::vector<TestCase>& tests, const std::string& report,
                                            const runner::JobResult& run) {
  std::map<std::string, nlohmann::json> lines;
  std::string staff_error;
  for (auto& ev : report_events(report)) {
    const std::string kind = text_of(ev, "event");
    if (kind == "error") {
      staff_error = text_of(ev, "message");
    } else if (kind == "test") {
      std::string id = text_of(ev, "id");  // first: json's operator= takes its argument by value
      lines[std::move(id)] = std::move(ev);
    }
  }
  std::vector<TestGrade> out;
  for (const auto& t : tests) {
    TestGrade tg;
    tg.test = t.name;
    tg.max_points = t.points;
    tg.run = run;
    const auto it = lines.find(t.node);
    if (it == lines.end()) {
      tg.verdict = GradeVerdict::IE;
      tg.message = missing_line(staff_error, run);
    } else {
      read_test_line(it->second, t, tg);
    }
    out.push_back(std::move(tg));
  }
  return out;
}

GradeReport grade_functions(const Problem& problem, const std::vector<Submission>& subs, const GradeOptions& opt,
                            Executor& executor) {
  GradeReport report;
  report.problem = problem;
  bool staff_fault = false;
  auto tests = collect_function_tests(problem, opt, executor, staff_fault);
  if (!tests) {
    (staff_fault ? report.problem_error : report.error) = tests.error().message;
    for (const auto& s : subs) {
      SubmissionGrade g;
      g.submission = s;
      total_up(report.problem, g);
      g.graded = false;
      g.verdict = GradeVerdict::IE;
      report.submissions.push_back(std::move(g));
    }
    return report;
  }
  report.problem.tests = std::move(*tests);
  const auto n = static_cast<double>(report.problem.tests.size());
  std::vector<runner::Job> jobs;
  for (const auto& s : subs) {
    runner::Job j = function_job(problem, s.name, s.result_root.empty() ? fs::path(s.name) : s.result_root);
    j.script = s.path;
    j.files.insert(j.files.end(), s.files.begin(), s.files.end());
    j.files.insert(j.files.end(), problem.functions->data_files.begin(), problem.functions->data_files.end());
    // Each test has its own CPU and wall limits in the container; the run's
    // wall limit only bounds the staff's process (a backstop).
    const double per_test = static_cast<double>(protocol::kTestWallPerCpu) * problem.limits.cpu_time_limit_s +
                            static_cast<double>(protocol::kTestWallExtraNs) / 1e9 + 1;
    j.limits.wall_limit_s = std::min(runner::kMaxWallLimitS, 60 + n * per_test);
    j.limits.stdout_limit_bytes =
        std::max<std::int64_t>(problem.limits.stdout_limit_bytes, static_cast<std::int64_t>(n) * kReportBytesPerTest);
    j.group = s.name;
    jobs.push_back(std::move(j));
  }
  const BatchOutcome runs = run_grade_jobs(std::move(jobs), opt, executor, opt.resume, "runs");
  report.seconds = runs.seconds;
  report.signal = runs.signal;
  report.error = runs.error;
  for (std::size_t i = 0; i < subs.size(); ++i) {
    SubmissionGrade g;
    g.submission = subs[i];
    const auto& e = runs.entries.at(i);
    if (e.state == EntryState::Done || e.state == EntryState::Resumed) {
      const std::string text = text_file(runner::result_dir_of(opt.out, e.job) / "stdout");
      g.tests = function_test_grades(report.problem.tests, text, e.result);
    } else {
      for (const auto& t : report.problem.tests)
        g.tests.push_back(TestGrade{t.name, GradeVerdict::NotRun, 0, t.points, {}, "", 0, ""});
    }
    total_up(report.problem, g);
    report.submissions.push_back(std::move(g));
  }
  return report;
}

}  // namespace pyjudge::judge
