// A submission as given on the command line: a .py file, or a folder of
// them, each with a unique, id-safe name for its results folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runner/shared/expected.h"

namespace pyjudge::judge {

struct Submission {
  std::string name;            // unique, id-safe; names OUT/NAME/
  std::filesystem::path path;  // the file
  std::string shown;           // the path as given (for grades.csv)
  // Where under OUT its tests' results go; empty means OUT/NAME.
  std::filesystem::path result_root;
  // A function problem's: the submission's other files (helper modules),
  // by their paths in the run's bundle (work/...).
  std::vector<std::pair<std::string, std::filesystem::path>> files;
};

// Files are taken as they are; a folder contributes its *.py files (sorted).
// Errors name the path.
Expected<std::vector<Submission>> collect_submissions(const std::vector<std::string>& args);

}  // namespace pyjudge::judge
