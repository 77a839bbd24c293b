// A package's validator as a program pyjudge can run: Python 3 (a single
// .py file, or a folder of them whose entry point is __main__.py or its only
// .py file), or C or C++ (a single source file, or a folder of sources and
// headers such as validate.h), which pyjudge builds in the compiler image.
// Anything else (Java, build/run scripts, Python 2) is an error naming the
// file.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "judge/check/checker.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// Names the validator's files may not take: the files pyjudge places
// beside them in the checker's container.
inline constexpr const char* kValidatorInputName = "judge_input";
inline constexpr const char* kValidatorAnswerName = "judge_answer";
inline constexpr const char* kValidatorSpecName = "pyjudge_validator.json";
// A compiled validator's program, built (judge/validator/validator_build.h).
inline constexpr const char* kBuiltValidatorName = "validator_bin";

// The package's output validator program: legacy output_validators/ holds
// programs (pyjudge runs one), 2023-07 output_validator/ is one. Nothing
// when the package has none.
Expected<std::optional<std::filesystem::path>> find_validator_program(const std::filesystem::path& dir);

// The package's input validators (input_validators/, or 2023-07's
// input_validator/): each file or folder there is one program, in name
// order. None when there is no such folder.
Expected<std::vector<std::filesystem::path>> find_input_validators(const std::filesystem::path& dir);

// The program at `program`, a file or a folder; `what` names it in errors
// ("an output validator").
Expected<ValidatorProgram> validator_program(const std::filesystem::path& program, std::string_view what);

// A C or C++ source by its name (.c is C; .cc, .cpp, .cxx, .c++ and .C are C++).
bool is_c_source(const std::filesystem::path& file);

// A Validator checker for the output validator at `program`.
Expected<CheckerSpec> output_validator(const std::filesystem::path& program);

}  // namespace pyjudge::judge
