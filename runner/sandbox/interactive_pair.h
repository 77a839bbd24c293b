// An interactive run: the submission's run and its validator's run at the
// same time, each in its own container (the validator is the problem
// setter's code and never shares the submission's), the validator's stdout
// relayed by the host into the submission's stdin and the submission's
// stdout into the validator's stdin (ByteChannel). When one side ends, the
// other's stdin ends. Each side's result records whether it ended first,
// which the format's verdict rules need (judge/check/interaction.h).
#pragma once

#include <string>

#include "runner/job/job.h"
#include "runner/job/result.h"
#include "runner/sandbox/job_runner.h"
#include "runner/sandbox/sandbox.h"

namespace pyjudge::runner {

struct PairResult {
  JobResult submission;
  JobResult validator;
};

// `job.interactor` is the validator's job. Either sandbox may be null (its
// open error says why): that side is then IE at once and the other's stdin
// ends. Both sides' files are written as run_job_in writes them. Never
// throws.
PairResult run_pair(Sandbox* submission, const std::string& submission_open_error, Sandbox* validator,
                    const std::string& validator_open_error, const Job& job, const RunContext& ctx) noexcept;

}  // namespace pyjudge::runner
