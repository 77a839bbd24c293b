// Grading: every (submission, test) pair as a job on the batch pool, then
// the checker over each output, then scores and verdicts per submission.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "judge/batch.h"
#include "judge/check/grade_verdict.h"
#include "judge/executor.h"
#include "judge/formats/problem.h"
#include "judge/formats/submission.h"
#include "judge/validator/validator_build.h"

namespace pyjudge::judge {

struct TestGrade {
  std::string test;
  GradeVerdict verdict = GradeVerdict::NotRun;
  double points = 0;  // awarded
  double max_points = 0;
  runner::JobResult run;  // the submission's run
  std::string message;
  // The time judged against the limit: CPU seconds where the run had a
  // CPU-time limit (every problem's), else wall seconds.
  double time = 0;
  // A function problem's: what the student's code printed during the test.
  std::string output;
  // Scoring problems: what the output validator wrote into score.txt and
  // score_multiplier.txt, and whether the test counts (not after a
  // rejection in an on_reject: break group, nor in an ignored sample).
  std::optional<std::string> score_file = std::nullopt;
  std::optional<std::string> multiplier_file = std::nullopt;
  bool counted = true;
  // An interactive validator's teammessage.txt: shown to the submitter.
  std::string team_message = {};
};

struct SubmissionGrade {
  Submission submission;
  std::vector<TestGrade> tests;
  double score = 0;
  double max_score = 0;
  GradeVerdict verdict = GradeVerdict::NotRun;  // first non-AC in test order, else AC; IE: not graded
  bool graded = true;                           // false when an IE persisted or the run was interrupted
  double max_time = 0;                          // the largest TestGrade::time
  std::int64_t max_memory = 0;
  // Scoring problems: each test group's verdict and score (judge/check/scoring.h).
  std::vector<GroupResult> groups;
  // Why the groups' rules gave no score (a score outside a group's range:
  // the package's fault); the submission is then not graded.
  std::string scoring_error;

  // Graded, accepted and with the whole score: what `grade` exits 0 for.
  bool full_score() const;
};

struct GradeReport {
  Problem problem;
  std::vector<SubmissionGrade> submissions;
  int signal = 0;
  double seconds = 0;
  std::string error;  // the judge's own failure that stopped the runs (the farm's queue lost)
  // The problem's own fault, found only by running it: a function problem's
  // staff tests that cannot be listed (a syntax error, none at all). Bad
  // input: the CLI exits 2.
  std::string problem_error;
};

// Sums a submission's tests up: score, largest time and memory, whether it
// was graded, and its verdict (the first non-AC test's, IE when not graded;
// for a scoring problem, its test groups' rules decide the verdict, the
// score and which tests count).
void total_up(const Problem& problem, SubmissionGrade& g);

// How runs share containers: each submission's tests one after another in
// one container (the default), or every test in a fresh container.
enum class Isolation { Submission, Test };
std::optional<Isolation> isolation_from_string(std::string_view s);

struct GradeOptions {
  std::filesystem::path out;  // OUT/SUBMISSION/TEST/ and the checks' results
  bool resume = false;        // keep complete results (IE results run again)
  Isolation isolation = Isolation::Submission;
  // Watch: the grading runs on the executor's slot that called it.
  bool in_slot = false;
  // Where a compiled output validator is built and run.
  CompilerOptions compiler = {};
};

// A checker's or validator's own limits: generous, and unrelated to the
// submission's.
runner::Limits checker_limits();

// An interactive problem's validator runs with the checker's generous
// limits, a wall limit beyond the submission's (`run`) and room for the
// submission's whole input on its stdout.
runner::Limits interactive_validator_limits(const runner::Limits& run);

// A grading's jobs on the executor: on the caller's slot (watch) or the
// pool, `resume` keeping complete results; `label` names the phase.
BatchOutcome run_grade_jobs(std::vector<runner::Job> jobs, const GradeOptions& opt, Executor& executor, bool resume,
                            const char* label);

// A compiled validator built (or found in the cache) on the executor.
BuildResult build_program(const ValidatorProgram& program, const GradeOptions& opt, Executor& executor);

// The runs on the executor, then the checks (a custom checker or an output
// validator, in containers of their own), then scores and verdicts.
GradeReport grade(const Problem& problem, const std::vector<Submission>& subs, const GradeOptions& opt,
                  Executor& executor);

}  // namespace pyjudge::judge
