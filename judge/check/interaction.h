// An interactive test's verdict, by the format's rules (problemtools'
// interactive tool): the validator's own failure (an exit other than 42 or
// 43, a crash, its run failing) is IE; a rejection by a validator that ended
// first is WA whatever the submission did after; otherwise a submission
// that did not end well (TLE, RE, MLE, OLE) gets that verdict; otherwise the
// validator's: 42 AC, 43 WA. Pure.
#pragma once

#include <string>

#include "judge/check/checker.h"
#include "judge/check/grade_verdict.h"
#include "runner/job/result.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

struct InteractionVerdict {
  GradeVerdict verdict = GradeVerdict::IE;
  std::string message;  // for the staff: the validator's judgemessage.txt, or why not graded
  CheckResult check;    // the validator's record, when it has one
};

// `record`: the validator's driver's record (parse_validator_record), or
// why there is none.
InteractionVerdict interaction_verdict(const runner::JobResult& submission, const runner::JobResult& validator,
                                       const Expected<CheckResult>& record);

}  // namespace pyjudge::judge
