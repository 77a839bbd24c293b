// Running a package's Python output validator: the check job for one run
// (the driver script, the validator's files, the test's input and answer,
// the run's output on stdin), and reading the driver's record back.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

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
  static Expected<ValidatorFiles> write(const std::filesystem::path& out, const Problem& problem,
                                        const std::optional<BuiltProgram>& built);

  // The check of `run` (a run of `test`) whose output is `run_stdout`.
  runner::Job check_job(const TestCase& test, const runner::Job& run, const std::filesystem::path& run_stdout) const;
  // An interactive problem's validator for `run` (its interactor): the same
  // files, no stdin file (the submission's output is relayed in), its
  // results under the run's as validator/.
  runner::Job interactor_job(const TestCase& test, const runner::Job& run) const;

 private:
  std::filesystem::path driver_;
  std::vector<std::pair<std::string, std::filesystem::path>> program_;  // the validator's files, by name
  std::string image_;                                                   // empty: the grading's
  std::map<std::vector<std::string>, std::filesystem::path> specs_;
};

// The driver's record: exit 42 is AC and 43 WA, with judgemessage.txt as
// the message; any other exit is the validator's failure (an error).
Expected<CheckResult> parse_validator_record(std::string_view stdout_text);
// An interactive validator's driver writes its record last on stderr, after
// anything else: that last line.
std::string last_record_line(std::string_view text);

}  // namespace pyjudge::judge
