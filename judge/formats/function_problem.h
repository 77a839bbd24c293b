// Function problems' own parts of problem.json ("kind": "functions",
// "module"), their staff tests in tests/ and data in files/, and their
// submissions: MODULE.py, or a folder holding it and its helper modules.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "judge/formats/problem.h"
#include "judge/formats/submission.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// The module, tests/ (at least one test_*.py or *_test.py) and files/ of the
// problem in `dir`; `jp` names problem.json in messages.
Expected<FunctionSpec> load_function_spec(const std::filesystem::path& dir, const nlohmann::json& j,
                                          const std::string& jp);

// Each argument is MODULE.py (its folder's other files come with it when the
// folder is named after nothing else), a folder holding MODULE.py, or a
// folder of such folders. A submission is named after its folder (or the
// file's stem when that is not MODULE). Errors name the path.
Expected<std::vector<Submission>> collect_function_submissions(const std::vector<std::string>& args,
                                                               const std::string& module);

}  // namespace pyjudge::judge
