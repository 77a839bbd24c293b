// Running a package's Python output validator: the check job for one run
// (the driver script, the validator's files, the test's input and answer,
// the run's output on stdin), and reading the driver's record back.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "judge/check/checker.h"
#include "judge/formats/problem.h"
#include "judge/validator/validator_build.h"
#include "runner/job/job.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// The files every check job of one grading shares, written under
// OUT/.pyjudge/: the driver, and a spec (files, entry point, arguments)
// per distinct argument list. A compiled validator's program is `built`
// (validator_build.h), and its checks run in the image it was built in.
class ValidatorFiles {
 public:
  // How the program is used: an output validator's check of a run's output,
  // an interactive one's talk with a run, or an input validator's check of
  // a test's input (verify). `arg_lists`: every argument list it gets, a
  // spec each, named NAME-N.json.
  enum class Mode { Output, Interactive, Input };
  struct Use {
    Mode mode = Mode::Output;
    std::string name;
    std::vector<std::vector<std::string>> arg_lists;
  };
  static Expected<ValidatorFiles> write(const std::filesystem::path& out, const ValidatorProgram& program,
                                        const std::optional<BuiltProgram>& built, const Use& use);
  // The problem's output validator, for its tests.
  static Expected<ValidatorFiles> write(const std::filesystem::path& out, const Problem& problem,
                                        const std::optional<BuiltProgram>& built);

  // The check of `run` (a run of `test`) whose output is `run_stdout`.
  runner::Job check_job(const TestCase& test, const runner::Job& run, const std::filesystem::path& run_stdout) const;
  // An interactive problem's validator for `run` (its interactor): the same
  // files, no stdin file (the submission's output is relayed in), its
  // results under the run's as validator/.
  runner::Job interactor_job(const TestCase& test, const runner::Job& run) const;
  // An input validator's check of `test`'s input with `args` (one of the
  // arg lists it was written for).
  runner::Job input_job(const TestCase& test, const std::vector<std::string>& args, std::string id,
                        std::filesystem::path result_dir) const;

 private:
  std::filesystem::path driver_;
  std::vector<std::pair<std::string, std::filesystem::path>> program_;  // the validator's files, by name
  std::string image_;                                                   // empty: the grading's
  std::map<std::vector<std::string>, std::filesystem::path> specs_;
};

// A validator's answer by its exit code, as the format has it.
inline constexpr int kValidatorAccepts = 42;
inline constexpr int kValidatorRejects = 43;

// The last non-empty line of the record's `stderr_tail` (what the validator
// printed last: a traceback's last line, an input validator's reason),
// trimmed, at most 200 bytes; "" when there is none.
std::string stderr_last_line(const nlohmann::json& record);

// The driver's record: exit 42 is AC and 43 WA, with judgemessage.txt as
// the message; any other exit is the validator's failure (an error).
Expected<CheckResult> parse_validator_record(std::string_view stdout_text);
// An interactive validator's driver writes its record last on stderr, after
// anything else: that last line.
std::string last_record_line(std::string_view text);

}  // namespace pyjudge::judge
