// verify's check of a package's test data: each input validator
// (input_validators/) run on every test's input the way the format says,
//     validator [input_validator_args] < test.in
// exit 42 valid, 43 invalid, anything else the validator's own failure.
// Each runs in a container of its own; a C or C++ one is built (and cached)
// as an output validator is.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "judge/grade.h"

namespace pyjudge::judge {

struct InputCheck {
  enum class Outcome { Valid, Invalid, Failed, NotRun };
  std::string test;       // "secret/03"
  std::string validator;  // "input_validators/range.py", under the problem
  Outcome outcome = Outcome::NotRun;
  std::string message;  // why invalid (the validator's last words), or why it failed
};

struct InputValidation {
  std::vector<std::string> validators;  // as shown, in order
  std::vector<InputCheck> checks;       // validator by validator, test by test
  // The problem's fault found on the way (a validator that does not build):
  // bad input. The judge's own failure. An interrupt.
  std::string problem_error;
  std::string error;
  int signal = 0;

  std::size_t count(InputCheck::Outcome o) const;
  // Every check ran and answered (valid or not).
  bool complete() const;
};

// Nothing to run (and an empty result) when the package has no input
// validator.
InputValidation validate_inputs(const Problem& problem, const GradeOptions& opt, Executor& executor);

// What the driver's record says of one check (its stdout), and the run's
// verdict before it: exit 42 Valid, 43 Invalid with the validator's last
// line, else Failed saying why.
InputCheck::Outcome read_input_check(const runner::JobResult& run, std::string_view record, std::string& message);

// verify.json's "inputs": the validators, the number of checks, and the
// invalid and failed ones.
nlohmann::json input_validation_json(const InputValidation& v);

}  // namespace pyjudge::judge
