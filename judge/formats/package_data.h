// A package's test data: every data/sample/**.in and data/secret/**.in with
// its .ans, in the format's order (by path under data/, so samples first),
// and the output validator's arguments each test gets from the settings
// files on its way down (testdata.yaml, or test_group.yaml and a test's own
// NAME.yaml in 2023-07 packages).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "judge/formats/problem.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

struct PackageDataRules {
  bool kattis2023 = false;
  // Arguments every test gets first: legacy problem.yaml's validator_flags.
  std::vector<std::string> base_args;
};

// A folder's settings file (testdata.yaml, or 2023-07's test_group.yaml),
// if it has one.
std::optional<std::filesystem::path> settings_file(const std::filesystem::path& folder);

// An interactive package's sample transcripts: data/sample/**.interaction,
// by name under data/ ("sample/1"), in name order, each at most 64 KiB.
Expected<std::vector<std::pair<std::string, std::string>>> sample_interactions(const std::filesystem::path& dir);

Expected<std::vector<TestCase>> package_tests(const std::filesystem::path& dir, const PackageDataRules& rules);

}  // namespace pyjudge::judge
