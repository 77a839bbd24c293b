// A package's output validator as a program pyjudge can run: Python only,
// a single .py file or a folder of them whose entry point is __main__.py or
// its only .py file. Anything else (C++, build/run scripts, Python 2) is an
// error naming the file.
#pragma once

#include <filesystem>
#include <optional>

#include "judge/check/checker.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// Names the validator's files may not take: the files pyjudge places
// beside them in the checker's container.
inline constexpr const char* kValidatorInputName = "judge_input";
inline constexpr const char* kValidatorAnswerName = "judge_answer";
inline constexpr const char* kValidatorSpecName = "pyjudge_validator.json";

// The package's validator program: legacy output_validators/ holds
// programs (pyjudge runs one), 2023-07 output_validator/ is one. Nothing
// when the package has none.
Expected<std::optional<std::filesystem::path>> find_validator_program(const std::filesystem::path& dir);

// A Validator checker for the program.
Expected<CheckerSpec> python_validator(const std::filesystem::path& program);

}  // namespace pyjudge::judge
