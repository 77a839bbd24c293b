// What a test, or a submission, got when graded: the run's own verdict
// where it did not end OK, else the checker's AC or WA. Distinct from the
// runner's Verdict, which says how a run ended and knows nothing of answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runner/job/verdict.h"

namespace pyjudge::judge {

enum class GradeVerdict {
  NotRun,  // the grading was interrupted before this test ran or was checked
  AC,
  WA,
  TLE,
  MLE,
  RE,
  OLE,
  IE,
};

// "AC", "WA", ...; "" for NotRun.
std::string_view to_string(GradeVerdict v);
// The inverse, for the verdicts a file names (expected.json): NotRun is not
// one.
std::optional<GradeVerdict> grade_verdict_from_string(std::string_view s);
// A run that did not end OK: its verdict as a grade (OK gives nothing).
std::optional<GradeVerdict> grade_verdict_of(runner::Verdict v);

}  // namespace pyjudge::judge
