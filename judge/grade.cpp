#include "grade.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "files.h"
#include "job.h"

namespace pyjudge::cli {

namespace fs = std::filesystem;

namespace {

// The checker's own limits: generous, and unrelated to the submission's.
Limits checker_limits() {
  Limits l;
  l.wall_limit_s = 10;
  l.memory_bytes = 512LL << 20;
  l.stdout_limit_bytes = 64 << 10;
  l.stderr_limit_bytes = 64 << 10;
  l.tmp_bytes = 256LL << 20;
  return l;
}

const JobResult* result_of(const BatchOutcome& o, std::size_t i) {
  const auto& e = o.entries.at(i);
  return e.state == EntryState::Done || e.state == EntryState::Resumed ? &e.result : nullptr;
}

}  // namespace

std::optional<Isolation> isolation_from_string(std::string_view s) {
  if (s == "submission") return Isolation::Submission;
  if (s == "test") return Isolation::Test;
  return std::nullopt;
}

Expected<std::vector<Submission>> collect_submissions(const std::vector<std::string>& args) {
  std::vector<Submission> out;
  std::set<std::string> used;
  auto add = [&](const fs::path& file, const std::string& shown) {
    std::string base = id_from_stem(file.stem().string());  // folder names and job ids
    std::string name = base;
    for (int n = 2; used.count(name); ++n) name = base + "-" + std::to_string(n);
    used.insert(name);
    out.push_back({name, file, shown, {}});
  };
  for (const auto& a : args) {
    std::error_code ec;
    const fs::path p(a);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.path().extension() == ".py" && e.is_regular_file(ec)) files.push_back(e.path());
      if (files.empty()) return fail(a + ": no .py files in this folder");
      std::sort(files.begin(), files.end());
      for (const auto& f : files) add(f, f.string());
    } else if (fs::is_regular_file(p, ec)) {
      if (!std::ifstream(p)) return fail(a + ": unreadable");
      add(p, a);
    } else {
      return fail(a + ": no such file or folder");
    }
  }
  if (out.empty()) return fail("no submissions given");
  return out;
}

GradeReport grade(const Problem& problem, const std::vector<Submission>& subs, const GradeOptions& opt,
                  const RunJobs& run_jobs) {
  GradeReport report;
  report.problem = problem;
  const std::size_t nt = problem.tests.size();

  // Phase 1: every submission on every test.
  std::vector<Job> runs;
  for (const auto& s : subs)
    for (const auto& t : problem.tests) {
      Job j;
      j.id = s.name + "." + t.name;
      j.script = s.path;
      j.stdin_file = t.input;
      j.limits = problem.limits;
      j.result_dir = (s.result_root.empty() ? fs::path(s.name) : s.result_root) / t.name;
      if (opt.isolation == Isolation::Submission) j.group = s.name;
      runs.push_back(std::move(j));
    }
  BatchOutcome first = run_jobs(std::move(runs));
  report.seconds = first.seconds;
  report.signal = first.signal;

  // Phase 2: custom checkers, in their own containers, over the OK runs.
  std::map<std::size_t, std::size_t> checker_of;  // run index -> checker job index
  BatchOutcome checks;
  if (problem.checker.kind == CheckerKind::Custom && !report.signal) {
    std::vector<Job> jobs;
    for (std::size_t i = 0; i < first.entries.size(); ++i) {
      const JobResult* r = result_of(first, i);
      if (!r || r->verdict != Verdict::OK) continue;
      const auto& t = problem.tests[i % nt];
      const fs::path run_dir = result_dir_of(opt.batch.out, first.entries[i].job);
      Job c;
      c.id = first.entries[i].job.id + ".check";
      c.script = problem.checker.custom_script;
      c.limits = checker_limits();
      c.result_dir = first.entries[i].job.result_dir / "checker";
      c.files = {{"input", t.input}, {"expected", t.output}, {"output", run_dir / "stdout"}};
      // The checker is the problem's, not the submission's; its runs over one
      // submission's outputs may share a container.
      if (opt.isolation == Isolation::Submission) c.group = "check:" + subs[i / nt].name;
      checker_of[i] = jobs.size();
      jobs.push_back(std::move(c));
    }
    if (!jobs.empty()) {
      checks = run_jobs(std::move(jobs));
      report.seconds += checks.seconds;
      report.signal = checks.signal;
    }
  }

  // Phase 3: verdicts and scores. Each expected output is read once.
  std::vector<Expected<std::string>> expected_out;
  if (problem.checker.kind != CheckerKind::Custom)
    for (const auto& t : problem.tests) expected_out.push_back(read_file(t.output));
  for (std::size_t si = 0; si < subs.size(); ++si) {
    SubmissionGrade g;
    g.submission = subs[si];
    g.max_score = problem.max_score();
    for (std::size_t ti = 0; ti < nt; ++ti) {
      const std::size_t i = si * nt + ti;
      const auto& t = problem.tests[ti];
      TestGrade tg;
      tg.test = t.name;
      tg.max_points = t.points;
      const JobResult* r = result_of(first, i);
      if (!r) {
        g.graded = false;
        g.tests.push_back(std::move(tg));
        continue;
      }
      tg.run = *r;
      tg.message = r->message;
      if (r->verdict != Verdict::OK) {
        tg.verdict = std::string(to_string(r->verdict));
      } else if (problem.checker.kind != CheckerKind::Custom) {
        const auto out = read_file(result_dir_of(opt.batch.out, first.entries[i].job) / "stdout");
        if (!out || !expected_out[ti]) {  // the judge's own files: its failure, not the submission's
          tg.verdict = "IE";
          tg.message = !out ? out.error().message : expected_out[ti].error().message;
        } else {
          const auto c = check_output(problem.checker, *expected_out[ti], *out);
          tg.verdict = c.accepted ? "AC" : "WA";
          tg.message = c.message;
        }
      } else {
        const auto it = checker_of.find(i);
        const JobResult* cr = it == checker_of.end() ? nullptr : result_of(checks, it->second);
        if (!cr) {
          tg.verdict = "";  // interrupted before its check
          g.graded = false;
        } else if (cr->verdict != Verdict::OK) {
          tg.verdict = "IE";
          tg.message = "the custom checker failed: " + std::string(to_string(cr->verdict)) +
                       (cr->message.empty() ? "" : " (" + cr->message + ")");
        } else {
          const auto dir = result_dir_of(opt.batch.out, checks.entries[it->second].job);
          const auto text = read_file(dir / "stdout");
          auto v = text ? parse_custom_verdict(*text) : Expected<CheckResult>(text.error());
          if (!v) {
            tg.verdict = "IE";
            tg.message = v.error().message;
          } else {
            tg.verdict = v->accepted ? "AC" : "WA";
            tg.message = v->message;
          }
        }
      }
      if (tg.verdict == "AC") tg.points = t.points;
      g.score += tg.points;
      g.max_time = std::max(g.max_time, r->wall_time);
      g.max_memory = std::max(g.max_memory, r->memory_peak.value_or(0));
      g.tests.push_back(std::move(tg));
    }
    for (const auto& tg : g.tests)
      if (tg.verdict == "IE") g.graded = false;
    if (!g.graded) {
      g.verdict = "IE";
    } else {
      g.verdict = "AC";
      for (const auto& tg : g.tests)
        if (tg.verdict != "AC") {
          g.verdict = tg.verdict;
          break;
        }
    }
    report.submissions.push_back(std::move(g));
  }
  return report;
}

}  // namespace pyjudge::cli
