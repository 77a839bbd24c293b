// Output checkers: compare a submission's output with the expected output.
// The built-in ones (exact, lines, tokens, float) run here on bytes; the
// custom one is a script that runs in its own container (see grade.cpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/shared/expected.h"

namespace pyjudge::judge {

// A package's validator program (an output or an input validator): its
// files (a single file, or a folder's) and how it runs. Python: `entry` is
// the file to run, or "" for a folder with __main__.py. Compiled: C or C++
// sources (and headers), built by pyjudge (judge/validator/validator_build.h).
struct ValidatorProgram {
  std::filesystem::path root;  // the file or the folder
  std::vector<std::filesystem::path> files;
  std::string entry;
  bool compiled = false;
};

// Package: the ICPC/Kattis default validator (default_validator.h), with
// each test's flags. Validator: a package's Python output validator, run
// in a container like a custom checker, that answers by exit code (42 AC,
// 43 WA).
enum class CheckerKind { Exact, Lines, Tokens, Float, Custom, Package, Validator };

struct CheckerSpec {
  CheckerKind kind = CheckerKind::Lines;
  double abs_tolerance = 1e-6;  // float: |a - b| <= abs
  double rel_tolerance = 1e-6;  //   or |a - b| <= rel * |b|
  std::string custom_script;    // custom: path of the checker script
  ValidatorProgram validator;   // validator: the package's program

  // Runs in a container of its own rather than here.
  bool in_container() const { return kind == CheckerKind::Custom || kind == CheckerKind::Validator; }
};

std::optional<CheckerKind> checker_from_string(std::string_view s);
std::string_view to_string(CheckerKind k);

struct CheckResult {
  bool accepted = false;
  std::string message;  // why not, in a few words
  // An output validator's score.txt and score_multiplier.txt, as written
  // (scoring problems: judge/check/scoring.h reads them).
  std::optional<std::string> score_file = std::nullopt;
  std::optional<std::string> multiplier_file = std::nullopt;
  // An output validator's teammessage.txt: what the submitter may see.
  std::string team_message = {};
  // An interactive validator's end on CLOCK_MONOTONIC (judge/check/interaction.h).
  std::optional<std::int64_t> ended_ns = std::nullopt;
};

// At most 40 bytes of a token, unprintable bytes as '?', for messages.
std::string shown(std::string_view token);

// For the built-in kinds; Custom is not handled here.
CheckResult check_output(const CheckerSpec& spec, std::string_view expected, std::string_view actual);

// What a custom checker prints on its first stdout line: "AC" or "WA",
// optionally followed by a space and a message. Anything else: an error.
Expected<CheckResult> parse_custom_verdict(std::string_view stdout_text);

}  // namespace pyjudge::judge
