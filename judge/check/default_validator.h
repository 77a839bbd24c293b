// The ICPC/Kattis problem package format's default output validator: token
// by token, case-insensitive and whitespace-insensitive unless told, with
// optional float tolerances. Its flags come from validator_flags (legacy
// problem.yaml) or output_validator_args / output_validator_flags (the
// test data settings of both versions).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/check/checker.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

struct DefaultValidatorFlags {
  bool case_sensitive = false;
  bool space_change_sensitive = false;
  std::optional<double> abs_tolerance;  // float_absolute_tolerance, or float_tolerance
  std::optional<double> rel_tolerance;  // float_relative_tolerance, or float_tolerance

  bool floats() const { return abs_tolerance || rel_tolerance; }
};

// The arguments as the format gives them ("float_tolerance 1e-6
// case_sensitive"). An unknown argument is an error that names it. Strict
// (2023-07): a tolerance given twice, or float_tolerance beside one of the
// other two, is an error too; legacy packages append a group's flags to
// problem.yaml's, and there a later tolerance replaces an earlier one.
Expected<DefaultValidatorFlags> parse_default_validator_flags(const std::vector<std::string>& args, bool strict = true);

// The answer file against the team's output.
CheckResult default_validate(const DefaultValidatorFlags& flags, std::string_view answer, std::string_view output);

// "a b  c" as {"a", "b", "c"}: how flags written as one string are split.
std::vector<std::string> split_words(std::string_view s);

}  // namespace pyjudge::judge
