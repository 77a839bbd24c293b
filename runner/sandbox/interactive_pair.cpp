#include "runner/sandbox/interactive_pair.h"

#include <atomic>
#include <exception>
#include <thread>

namespace pyjudge::runner {

PairResult run_pair(Sandbox* submission, const std::string& submission_open_error, Sandbox* validator,
                    const std::string& validator_open_error, const Job& job, const RunContext& ctx) noexcept {
  PairResult out;
  const Job& vjob = *job.interactor;
  try {
    auto to_submission = ByteChannel::make();
    auto to_validator = ByteChannel::make();
    if (!to_submission || !to_validator) {
      const std::string why = !to_submission ? to_submission.error().message : to_validator.error().message;
      out.submission = ie_result(job, IeReason::SetupError, why);
      out.validator = ie_result(vjob, IeReason::SetupError, why);
      return out;
    }
    std::atomic<bool> race{false};
    const PairSide vside{{to_validator->get(), to_submission->get()}, &race};
    const PairSide sside{{to_submission->get(), to_validator->get()}, &race};
    std::thread validator_thread(
        [&] { out.validator = run_job_in(validator, validator_open_error, vjob, ctx, vside); });
    out.submission = run_job_in(submission, submission_open_error, job, ctx, sside);
    validator_thread.join();
  } catch (...) {  // no thread could be started: neither side ran
    out.submission = exception_result(job, ctx, IeReason::SetupError, std::current_exception());
    out.validator = exception_result(vjob, ctx, IeReason::SetupError, std::current_exception());
  }
  return out;
}

}  // namespace pyjudge::runner
