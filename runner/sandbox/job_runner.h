// Running jobs: one job's run in a Sandbox from its output files to its
// result.json, and the opening of Sandboxes for jobs. run_job is the fresh-
// container case: one Sandbox, one run, removed.
#pragma once

#include <atomic>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "runner/engine/engine.h"
#include "runner/job/job.h"
#include "runner/job/result.h"
#include "runner/sandbox/sandbox.h"
#include "runner/sandbox/session.h"

namespace pyjudge::runner {

struct RunContext {
  std::string image;
  std::filesystem::path out_dir;
  Session session;
  int attempt = 1;
  // Polled while the job runs; true kills and removes the container at once.
  // Empty means "an interrupt arrived" (interrupt.h).
  std::function<bool()> should_abort;
  Seccomp seccomp = Seccomp::Pyjudge;  // the profile every container runs under
  // The container will serve several script runs (a warm group): its runs
  // fork from a zygote (README.md, "The zygote"), unless under gVisor.
  bool zygote = false;
};

// A container for `job` and the jobs after it that share its container-level
// limits (Limits::same_container_limits). `engine` must outlive it. Never
// throws: an exception on the way is an error naming it.
Expected<std::unique_ptr<Sandbox>> open_sandbox(Engine& engine, const Job& job, const RunContext& ctx) noexcept;

// Runs `job` in `sandbox` (not owned; when null, `open_error` says why there
// is none, and the job is IE) and writes OUT/ID/{stdout,stderr,result.json}.
// Never throws: engine and I/O trouble become an IE result, and so does an
// exception (engine_error while the sandbox runs the job, setup_error around
// it, e.g. the result files). When should_abort says so, the result comes
// back with `interrupted` set and nothing written.
JobResult run_job_in(Sandbox* sandbox, const std::string& open_error, const Job& job, const RunContext& ctx) noexcept;

// One side of an interactive pair (interactive_pair.h): as run_job_in, with
// the run's streams linked; once it has ended its output channel closes (the
// other side's stdin ends) and `race` (shared by both sides) decides which
// ended first.
struct PairSide {
  Sandbox::Links links;
  std::atomic<bool>* race = nullptr;
};
JobResult run_job_in(Sandbox* sandbox, const std::string& open_error, const Job& job, const RunContext& ctx,
                     const PairSide& side) noexcept;

// `job` in a fresh container of its own, removed before this returns. Never
// throws, as run_job_in.
JobResult run_job(Engine& engine, const Job& job, const RunContext& ctx) noexcept;

// The IE result of `job` that never ran: `reason` and `message` say why;
// started and finished now.
JobResult ie_result(const Job& job, IeReason reason, std::string message);

// The IE result (reason `reason`) of `job` when running it threw `e`; the
// message names the exception. What the run_job functions return then.
JobResult exception_result(const Job& job, const RunContext& ctx, IeReason reason, const std::exception_ptr& e);

}  // namespace pyjudge::runner
