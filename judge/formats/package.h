// ICPC/Kattis problem packages (the format of Kattis, DOMjudge, BAPC and
// NWERC), legacy and 2023-07, read into a Problem: problem.yaml, the test
// data under data/sample and data/secret with its settings files, the
// default validator's flags or a Python output validator.
#pragma once

#include <filesystem>

#include "judge/formats/problem.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// A folder with a problem.yaml.
bool is_package(const std::filesystem::path& dir);

// `defaults` supplies what the package does not set (the time limit when
// neither limits.time_limit nor .timelimit gives one). Every error names
// the file, and the key where there is one.
Expected<Problem> load_package(const std::filesystem::path& dir, const runner::Limits& defaults);

}  // namespace pyjudge::judge
