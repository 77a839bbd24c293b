// Problems: problems/NAME/problem.json, statement.md and tests/NN.in + NN.out,
// loaded and validated strictly, every error naming the file and field; and
// the Problem that every format loads into.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "judge/check/checker.h"
#include "judge/check/default_validator.h"
#include "judge/check/scoring.h"
#include "runner/job/job_limits.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// Where a test comes from, for reports that show some tests to students
// and keep others back (Gradescope's visibility).
enum class TestKind { Plain, Sample, Secret };

// The arguments a package's input validators get for one test: those for
// every validator, or a validator's own by its name (its file or folder
// name, with or without the extension).
struct InputValidatorArgs {
  std::vector<std::string> all;
  std::map<std::string, std::vector<std::string>> by_name;

  const std::vector<std::string>& for_program(const std::filesystem::path& program) const {
    for (const auto& name : {program.filename().string(), program.stem().string()})
      if (auto it = by_name.find(name); it != by_name.end()) return it->second;
    return all;
  }
};

struct TestCase {
  std::string name;  // "01", or a package's "secret/group1/03"; the path under each submission's results
  std::filesystem::path input;
  std::filesystem::path output;
  double points = 1;
  std::string id;  // id-safe, unique in the problem: a part of each run's job id
  TestKind kind = TestKind::Plain;
  // Packages: the validator's arguments for this test, and for the default
  // validator the flags they make.
  std::vector<std::string> validator_args;
  DefaultValidatorFlags flags;
  InputValidatorArgs input_args;  // for verify's input validators
  // Function problems: the test's pytest node id (the report's key), and
  // Gradescope's number and visibility from the staff's decorators.
  std::string node;
  std::string number;
  std::string visibility;
  std::vector<std::string> tags;
};

// A function problem (docs/functions.md): the staff's tests import the
// student's `module` and call it. Each file goes into the run's bundle by
// its path there: the tests under staff/, the problem's files/ under work/.
struct FunctionSpec {
  std::string module;
  std::vector<std::pair<std::string, std::filesystem::path>> staff_files;
  std::vector<std::pair<std::string, std::filesystem::path>> data_files;
};

enum class ProblemFormat { Pyjudge, KattisLegacy, Kattis2023 };
std::string_view to_string(ProblemFormat f);

struct Problem {
  std::string name;  // the folder's name
  std::filesystem::path dir;
  std::string title;
  ProblemFormat format = ProblemFormat::Pyjudge;
  std::filesystem::path spec_file;  // problem.json or problem.yaml, for messages
  // The runs' limits: the time limit as cpu_time_limit_s and its wall-clock
  // backstop as wall_limit_s (set_problem_time_limits), memory and the rest.
  runner::Limits limits;
  CheckerSpec checker;
  // A package's input validators (input_validators/): verify runs each on
  // every test's input (judge/input_validation.h).
  std::vector<ValidatorProgram> input_validators;
  // A function problem's tests are the staff's test functions, listed by a
  // collection run before the first grading (function_grade.h).
  std::vector<TestCase> tests;
  std::optional<FunctionSpec> functions;
  // A scoring package's test groups and their rules (type: scoring); a
  // pass-fail problem has none and scores a point per accepted test.
  std::optional<ScoringTree> scoring;
  // An interactive package (type: interactive): its output validator talks
  // to each run (runner/sandbox/interactive_pair.h).
  bool interactive = false;
  // Its samples' transcripts, data/sample/**.interaction (lines "> " from
  // the submission, "< " to it), by name under data/: shown in reports.
  std::vector<std::pair<std::string, std::string>> interactions;

  double max_score() const;
  // Whether runs are judged on CPU time (every loaded problem's are:
  // set_problem_time_limits), and the limit they are judged against: the
  // CPU-time limit, else the wall clock's.
  bool judged_on_cpu() const { return limits.cpu_time_limit_s > 0; }
  double time_limit_s() const { return judged_on_cpu() ? limits.cpu_time_limit_s : limits.wall_limit_s; }
};

// A problem's time limit is judged on CPU time, as Kattis, DOMjudge and
// Codeforces judge theirs, so that a verdict does not depend on how many
// runs share the machine; the wall clock is only a backstop, by default
// kWallPerTimeLimit times the time limit plus kWallExtraS. Generous on
// purpose: at the default --jobs beside two busy loops, a run of 0.6 s of
// CPU was measured at up to 3.5 s of wall time (bench/near_limit.py).
inline constexpr double kWallPerTimeLimit = 3.0;
inline constexpr double kWallExtraS = 2.0;
// Sets a problem's time limits on `limits`: cpu_time_limit_s is the time
// limit, wall_limit_s the given wall limit or the default backstop.
Status set_problem_time_limits(runner::Limits& limits, double time_limit_s, std::optional<double> wall_limit_s = {});

// A problem's name: its folder's.
std::string problem_name_of(const std::filesystem::path& dir);

// problem.json problems. `defaults` supplies the limits problem.json does
// not set.
Expected<Problem> load_problem(const std::filesystem::path& dir, const runner::Limits& defaults);

// Either format: a folder with problem.yaml is an ICPC/Kattis package
// (package.h), else a problem.json problem.
Expected<Problem> load_any_problem(const std::filesystem::path& dir, const runner::Limits& defaults);

}  // namespace pyjudge::judge
