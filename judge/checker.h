// Output checkers: compare a submission's output with the expected output.
// The built-in ones (exact, lines, tokens, float) run here on bytes; the
// custom one is a script that runs in its own container (see grade.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "expected.h"

namespace pyjudge::judge {

enum class CheckerKind { Exact, Lines, Tokens, Float, Custom };

struct CheckerSpec {
  CheckerKind kind = CheckerKind::Lines;
  double abs_tolerance = 1e-6;  // float: |a - b| <= abs
  double rel_tolerance = 1e-6;  //   or |a - b| <= rel * |b|
  std::string custom_script;    // custom: path of the checker script
};

std::optional<CheckerKind> checker_from_string(std::string_view s);
std::string_view to_string(CheckerKind k);

struct CheckResult {
  bool accepted = false;
  std::string message;  // why not, in a few words
};

// For the built-in kinds; Custom is not handled here.
CheckResult check_output(const CheckerSpec& spec, std::string_view expected, std::string_view actual);

// What a custom checker prints on its first stdout line: "AC" or "WA",
// optionally followed by a space and a message. Anything else: an error.
Expected<CheckResult> parse_custom_verdict(std::string_view stdout_text);

}  // namespace pyjudge::judge
