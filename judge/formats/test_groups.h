// A scoring package's test groups (judge/check/scoring.h): the folders under
// data/ with the rules their settings files set, read into one tree.
//
// problemtools' keys (legacy, and 2023-07 drafts): on_reject, accept_score,
// reject_score, range, grader_flags and grading: default, each inherited
// from the folder above unless set; legacy problem.yaml's grading map may
// set the root's on_reject, accept_score, reject_score and range, and
// objective: max. The 2025-09 keys: max_score and score_aggregation on
// secret and its groups. A package uses one set or the other. Refused, with
// the key's name: grading: custom, require_pass, static_validation_score,
// objective: min, and an unknown grader flag.
#pragma once

#include <filesystem>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "judge/check/scoring.h"
#include "judge/formats/problem.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// The tree over `tests` (a package's, named by their path under data/ and
// sorted); `grading` is problem.yaml's grading map, if any. A package that
// sets neither key set follows 2025-09's rules when `default_2025` (its
// problem_format_version is 2023-07 or 2025-09), else problemtools'.
Expected<ScoringTree> load_test_groups(const std::filesystem::path& dir, const std::vector<TestCase>& tests,
                                       const YAML::Node& grading, const std::string& problem_yaml, bool default_2025);

}  // namespace pyjudge::judge
