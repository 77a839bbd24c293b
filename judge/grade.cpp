#include "judge/grade.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "judge/check/default_validator.h"
#include "judge/check/interaction.h"
#include "judge/function_grade.h"
#include "judge/validator/validator_run.h"
#include "runner/job/files.h"
#include "runner/job/job.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

runner::Limits checker_limits() {
  runner::Limits l;
  l.wall_limit_s = 10;
  l.memory_bytes = 512LL << 20;
  l.stdout_limit_bytes = 64 << 10;
  l.stderr_limit_bytes = 64 << 10;
  l.tmp_bytes = 256LL << 20;
  return l;
}

namespace {

const runner::JobResult* result_of(const BatchOutcome& o, std::size_t i) {
  const auto& e = o.entries.at(i);
  return e.state == EntryState::Done || e.state == EntryState::Resumed ? &e.result : nullptr;
}

}  // namespace

runner::Limits interactive_validator_limits(const runner::Limits& run) {
  runner::Limits l = checker_limits();
  // It waits on the submission: it must outlast the submission's own wall limit.
  l.wall_limit_s = 2 * run.wall_limit_s + 10;
  l.stdout_limit_bytes = 64LL << 20;  // the submission's whole input, relayed
  l.runtime = run.runtime;            // the same clock as the submission's (interaction.h)
  return l;
}

BatchOutcome run_grade_jobs(std::vector<runner::Job> jobs, const GradeOptions& opt, Executor& executor, bool resume,
                            const char* label) {
  if (opt.in_slot) return executor.run_in_slot(std::move(jobs), opt.out, label);
  return executor.run(std::move(jobs), RunRequest{opt.out, resume, false, label});
}

BuildResult build_program(const ValidatorProgram& program, const GradeOptions& opt, Executor& executor) {
  return build_validator(program, opt.compiler, opt.out, [&](std::vector<runner::Job> jobs) {
    return run_grade_jobs(std::move(jobs), opt, executor, false, "build");
  });
}

bool SubmissionGrade::full_score() const {
  // An unbounded maximum (2025-09's max_score: unbounded) has no full score: AC is all.
  return graded && verdict == GradeVerdict::AC && (!std::isfinite(max_score) || score >= max_score - 1e-9);
}

namespace {

// A scoring problem's submission: its groups' rules over its tests.
void score_up(const ScoringTree& tree, SubmissionGrade& g) {
  std::vector<TestOutcome> outcomes;
  outcomes.reserve(g.tests.size());
  for (const auto& t : g.tests) outcomes.push_back({t.verdict, t.score_file, t.multiplier_file});
  const ScoredSubmission s = score_submission(tree, outcomes);
  g.graded = true;
  for (std::size_t i = 0; i < g.tests.size(); ++i) {
    auto& t = g.tests[i];
    t.counted = s.tests[i].counted;
    t.points = s.tests[i].counted ? s.tests[i].score : 0;
    t.max_points = s.tests[i].max_score;
    if (!s.tests[i].error.empty()) {
      t.verdict = GradeVerdict::IE;
      t.message = s.tests[i].error;
    }
    if (t.counted) g.max_time = std::max(g.max_time, t.time);
    if (t.counted) g.max_memory = std::max(g.max_memory, t.run.memory_peak.value_or(0));
    if (t.counted && (t.verdict == GradeVerdict::NotRun || t.verdict == GradeVerdict::IE)) g.graded = false;
  }
  g.groups = s.groups;
  g.score = s.score;
  g.max_score = s.max_score;
  g.verdict = s.verdict;
  if (!s.error.empty()) {
    g.graded = false;
    g.verdict = GradeVerdict::IE;
    g.scoring_error = s.error;
  }
  if (!g.graded) g.verdict = GradeVerdict::IE;
}

}  // namespace

void total_up(const Problem& problem, SubmissionGrade& g) {
  g.max_time = 0;
  g.max_memory = 0;
  if (problem.scoring) {
    score_up(*problem.scoring, g);
    return;
  }
  g.max_score = problem.max_score();
  g.score = 0;
  g.graded = true;
  for (const auto& tg : g.tests) {
    g.score += tg.points;
    g.max_time = std::max(g.max_time, tg.time);
    g.max_memory = std::max(g.max_memory, tg.run.memory_peak.value_or(0));
    // Not run, not checked, or IE: the submission is not graded.
    if (tg.verdict == GradeVerdict::NotRun || tg.verdict == GradeVerdict::IE) g.graded = false;
  }
  g.verdict = GradeVerdict::AC;
  for (const auto& tg : g.tests)
    if (tg.verdict != GradeVerdict::AC) {
      g.verdict = tg.verdict;
      break;
    }
  if (!g.graded) g.verdict = GradeVerdict::IE;
}

std::optional<Isolation> isolation_from_string(std::string_view s) {
  if (s == "submission") return Isolation::Submission;
  if (s == "test") return Isolation::Test;
  return std::nullopt;
}

namespace {

// One grading: the runs, the checks and how to read them back.
struct Grading {
  const Problem& problem;
  const std::vector<Submission>& subs;
  const GradeOptions& opt;
  BatchOutcome runs;
  BatchOutcome checks;
  std::map<std::size_t, std::size_t> checker_of;     // run index -> check index
  std::vector<Expected<std::string>> expected_out;   // built-in checkers: each expected output, read once
  std::optional<Error> checker_setup;                // why no check job could be made
  std::optional<ValidatorFiles> interactor;          // an interactive problem's validator files
  std::optional<BuiltProgram> built = std::nullopt;  // a compiled output validator's program

  std::size_t tests() const { return problem.tests.size(); }

  // Phase 1: every submission on every test.
  std::vector<runner::Job> run_jobs() const {
    std::vector<runner::Job> jobs;
    for (const auto& s : subs)
      for (const auto& t : problem.tests) {
        runner::Job j;
        j.id = s.name + "." + t.id;
        j.script = s.path;
        j.stdin_file = t.input;
        j.limits = problem.limits;
        j.result_dir = (s.result_root.empty() ? fs::path(s.name) : s.result_root) / t.name;
        if (opt.isolation == Isolation::Submission) j.group = s.name;
        if (interactor) {  // its input comes from the validator, run beside it
          j.stdin_file.reset();
          auto v = interactor->interactor_job(t, j);
          v.limits = interactive_validator_limits(problem.limits);
          if (!j.group.empty()) v.group = "validator:" + j.group;
          j.interactor = std::make_shared<const runner::Job>(std::move(v));
        }
        jobs.push_back(std::move(j));
      }
    return jobs;
  }

  // Phase 2: a custom checker or output validator over each OK run, in the
  // checker's own containers (the checker is the problem's, not the
  // submission's, so its runs over one submission's outputs may share one).
  std::vector<runner::Job> check_jobs() {
    std::optional<ValidatorFiles> validator;
    if (problem.checker.kind == CheckerKind::Validator) {
      auto v = ValidatorFiles::write(opt.out, problem, built);
      if (!v) {
        checker_setup = v.error();
        return {};
      }
      validator = std::move(*v);
    }
    std::vector<runner::Job> jobs;
    for (std::size_t i = 0; i < runs.entries.size(); ++i) {
      const runner::JobResult* r = result_of(runs, i);
      if (!r || r->verdict != runner::Verdict::OK) continue;
      const auto& t = problem.tests[i % tests()];
      const auto& run = runs.entries[i].job;
      const fs::path run_stdout = runner::result_dir_of(opt.out, run) / "stdout";
      runner::Job c;
      const bool fresh_run = runs.entries[i].state == EntryState::Done;
      if (validator) {
        c = validator->check_job(t, run, run_stdout);
      } else {
        c.id = run.id + ".check";
        c.script = problem.checker.custom_script;
        c.result_dir = run.result_dir / "checker";
        c.files = {{"input", t.input}, {"expected", t.output}, {"output", run_stdout}};
      }
      c.limits = checker_limits();
      if (opt.isolation == Isolation::Submission) c.group = "check:" + subs[i / tests()].name;
      // A check of an output that this grading made anew is not --resume's.
      std::error_code ec;
      if (fresh_run) fs::remove(runner::result_dir_of(opt.out, c) / "result.json", ec);
      checker_of[i] = jobs.size();
      jobs.push_back(std::move(c));
    }
    return jobs;
  }

  // A built-in checker over run i's output. The judge's own files failing is
  // its failure (IE), not the submission's.
  void builtin_verdict(std::size_t i, TestGrade& tg) const {
    const std::size_t ti = i % tests();
    const auto out = runner::read_file(runner::result_dir_of(opt.out, runs.entries[i].job) / "stdout");
    if (!out || !expected_out[ti]) {
      tg.verdict = GradeVerdict::IE;
      tg.message = !out ? out.error().message : expected_out[ti].error().message;
      return;
    }
    const auto& t = problem.tests[ti];
    const auto c = problem.checker.kind == CheckerKind::Package
                       ? default_validate(t.flags, *expected_out[ti], *out)
                       : check_output(problem.checker, *expected_out[ti], *out);
    tg.verdict = c.accepted ? GradeVerdict::AC : GradeVerdict::WA;
    tg.message = c.message;
  }

  // The custom checker's verdict on run i; empty when it never ran
  // (interrupted), IE when the checker itself failed.
  void custom_verdict(std::size_t i, TestGrade& tg) const {
    if (checker_setup) {
      tg.verdict = GradeVerdict::IE;
      tg.message = "the output validator could not be set up: " + checker_setup->message;
      return;
    }
    const auto it = checker_of.find(i);
    const runner::JobResult* cr = it == checker_of.end() ? nullptr : result_of(checks, it->second);
    if (!cr) {
      tg.verdict = GradeVerdict::NotRun;
      return;
    }
    if (cr->verdict != runner::Verdict::OK) {
      tg.verdict = GradeVerdict::IE;
      tg.message = "the " + std::string(to_string(problem.checker.kind)) +
                   " failed: " + std::string(to_string(cr->verdict)) +
                   (cr->message.empty() ? "" : " (" + cr->message + ")");
      return;
    }
    const auto text = runner::read_file(runner::result_dir_of(opt.out, checks.entries[it->second].job) / "stdout");
    const bool validator = problem.checker.kind == CheckerKind::Validator;
    auto v = !text       ? Expected<CheckResult>(text.error())
             : validator ? parse_validator_record(*text)
                         : parse_custom_verdict(*text);
    tg.verdict = !v ? GradeVerdict::IE : v->accepted ? GradeVerdict::AC : GradeVerdict::WA;
    tg.message = !v ? v.error().message : v->message;
    if (v) {
      tg.score_file = v->score_file;
      tg.multiplier_file = v->multiplier_file;
    }
  }

  // An interactive run's verdict: the validator's record and which side
  // ended first, by the format's rules (judge/check/interaction.h).
  void interactive_verdict(std::size_t i, const runner::JobResult& r, TestGrade& tg) const {
    const runner::Job& vjob = *runs.entries[i].job.interactor;
    const fs::path dir = runner::result_dir_of(opt.out, vjob);
    auto vtext = runner::read_file(dir / "result.json");
    auto vres = vtext ? runner::result_from_json(nlohmann::json::parse(*vtext, nullptr, false))
                      : Expected<runner::JobResult>(vtext.error());
    if (!vres) {
      tg.verdict = GradeVerdict::IE;
      tg.message = "the interactive validator left no result: " + vres.error().message;
      return;
    }
    auto err = runner::read_file(dir / "stderr");
    const auto record = err ? parse_validator_record(last_record_line(*err)) : Expected<CheckResult>(err.error());
    const InteractionVerdict v = interaction_verdict(r, *vres, record);
    tg.verdict = v.verdict;
    tg.message = v.message;
    tg.team_message = v.check.team_message;
    // The validator's score counts only where its answer is the verdict.
    if (v.verdict == GradeVerdict::AC || v.verdict == GradeVerdict::WA) {
      tg.score_file = v.check.score_file;
      tg.multiplier_file = v.check.multiplier_file;
    }
  }

  // Run i's grade; nullptr run means it never finished (interrupted).
  TestGrade test_grade(std::size_t i) const {
    const auto& t = problem.tests[i % tests()];
    TestGrade tg;
    tg.test = t.name;
    tg.max_points = t.points;
    const runner::JobResult* r = result_of(runs, i);
    if (!r) return tg;
    tg.run = *r;
    tg.time = problem.judged_on_cpu() ? r->cpu_time.value_or(r->wall_time) : r->wall_time;
    tg.message = r->message;
    if (problem.interactive && runs.entries[i].job.interactor)
      interactive_verdict(i, *r, tg);
    else if (r->verdict != runner::Verdict::OK)
      tg.verdict = *grade_verdict_of(r->verdict);
    else if (problem.checker.in_container())
      custom_verdict(i, tg);
    else
      builtin_verdict(i, tg);
    if (tg.verdict == GradeVerdict::AC) tg.points = t.points;
    return tg;
  }

  SubmissionGrade submission_grade(std::size_t si) const {
    SubmissionGrade g;
    g.submission = subs[si];
    for (std::size_t ti = 0; ti < tests(); ++ti) g.tests.push_back(test_grade(si * tests() + ti));
    total_up(problem, g);
    return g;
  }
};

// The grading ends before its runs when a compiled validator was not built:
// the problem's fault (bad input), an interrupt, or the judge's own failure
// (then every submission is there, not graded).
void validator_not_built(const BuildResult& b, const Problem& problem, const std::vector<Submission>& subs,
                         GradeReport& report) {
  report.signal = b.signal;
  if (b.signal != 0) return;
  if (b.program_fault) {
    report.problem_error =
        problem.checker.validator.root.string() + ": the output validator is not built: " + b.message;
    return;
  }
  report.error = "the output validator could not be built: " + b.message;
  for (const auto& s : subs) {
    SubmissionGrade sg;
    sg.submission = s;
    for (const auto& t : problem.tests) {
      TestGrade tg;
      tg.test = t.name;
      tg.verdict = GradeVerdict::IE;
      tg.message = report.error;
      sg.tests.push_back(std::move(tg));
    }
    total_up(problem, sg);
    report.submissions.push_back(std::move(sg));
  }
}

}  // namespace

GradeReport grade(const Problem& problem, const std::vector<Submission>& subs, const GradeOptions& opt,
                  Executor& executor) {
  if (problem.functions) return grade_functions(problem, subs, opt, executor);
  const auto run_jobs = [&](std::vector<runner::Job> jobs, const char* label) {
    return run_grade_jobs(std::move(jobs), opt, executor, opt.resume, label);
  };
  GradeReport report;
  report.problem = problem;
  Grading g{problem, subs, opt, {}, {}, {}, {}, {}, {}};
  if (problem.checker.kind == CheckerKind::Validator && problem.checker.validator.compiled) {
    BuildResult b = build_program(problem.checker.validator, opt, executor);
    if (!b.program) {
      validator_not_built(b, problem, subs, report);
      return report;
    }
    g.built = b.program;
  }
  if (problem.interactive) {
    auto v = ValidatorFiles::write(opt.out, problem, g.built);
    if (!v) {
      report.problem_error = "the interactive validator could not be set up: " + v.error().message;
      return report;
    }
    g.interactor = std::move(*v);
  }
  g.runs = run_jobs(g.run_jobs(), "runs");
  report.seconds = g.runs.seconds;
  report.signal = g.runs.signal;
  report.error = g.runs.error;
  if (problem.checker.in_container() && !problem.interactive && !report.signal && report.error.empty()) {
    if (auto jobs = g.check_jobs(); !jobs.empty()) {
      g.checks = run_jobs(std::move(jobs), "checks");
      report.seconds += g.checks.seconds;
      report.signal = g.checks.signal;
      report.error = g.checks.error;
    }
  }
  if (!problem.checker.in_container() && !problem.interactive)
    for (const auto& t : problem.tests) g.expected_out.push_back(runner::read_file(t.output));
  for (std::size_t si = 0; si < subs.size(); ++si) report.submissions.push_back(g.submission_grade(si));
  return report;
}

}  // namespace pyjudge::judge
