#include "judge/check/interaction.h"

#include "runner/sandbox/seccomp.h"

namespace pyjudge::judge {

InteractionVerdict interaction_verdict(const runner::JobResult& submission, const runner::JobResult& validator,
                                       const Expected<CheckResult>& record) {
  InteractionVerdict v;
  if (submission.verdict == runner::Verdict::IE) {  // the judge's own failure on the submission's side
    v.message = submission.message;
    return v;
  }
  if (validator.verdict != runner::Verdict::OK) {
    v.message = "the interactive validator's run failed: " + std::string(to_string(validator.verdict)) +
                (validator.message.empty() ? "" : " (" + validator.message + ")");
    return v;
  }
  if (!record) {
    v.message = record.error().message;
    return v;
  }
  v.check = *record;
  v.message = record->message;
  // Which side ended first: by the two ends on CLOCK_MONOTONIC (shared by
  // the containers under runc, not under gVisor) when both are known, else
  // as the host saw the runs end (the validator's driver ends a little
  // after the validator).
  const bool same_clock = record->ended_ns && submission.ended_ns && !runner::is_gvisor(submission.limits.runtime) &&
                          !runner::is_gvisor(validator.limits.runtime);
  const bool validator_first =
      same_clock ? *record->ended_ns < *submission.ended_ns : validator.ended_first.value_or(false);
  if (!record->accepted && validator_first) {
    v.verdict = GradeVerdict::WA;
    return v;
  }
  if (submission.verdict != runner::Verdict::OK) {
    v.verdict = *grade_verdict_of(submission.verdict);
    v.message = submission.message;
    return v;
  }
  v.verdict = record->accepted ? GradeVerdict::AC : GradeVerdict::WA;
  return v;
}

}  // namespace pyjudge::judge
