// Gradescope's autograder results.json for one submission: score,
// execution_time, output, and a test per problem test with its score,
// max_score, status (passed/failed), output and visibility.
#pragma once

#include <nlohmann/json.hpp>

#include "judge/grade.h"

namespace pyjudge::judge {

// A package's sample tests are visible; its secret tests are shown once
// the grades are published, and their output names the verdict only (a
// checker's message may quote the secret answer). problem.json tests are
// visible. `r` holds one submission.
nlohmann::json report_gradescope(const GradeReport& r);

}  // namespace pyjudge::judge
