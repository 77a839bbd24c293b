#include "judge/worker_pool.h"

#include <chrono>
#include <thread>

#include <spdlog/spdlog.h>

#include "runner/sandbox/interactive_pair.h"

namespace pyjudge::judge {

WorkerPool::WorkerPool(int concurrency, runner::Endpoint endpoint)
    : concurrency_(concurrency),
      endpoint_(std::move(endpoint)),
      parallelism_(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(concurrency) + 1),
      arena_(concurrency, 0) {}

WorkerPool::~WorkerPool() { wait(); }

void WorkerPool::submit(std::function<void()> task) {
  in_flight_.fetch_add(1);
  arena_.execute([&] {
    group_.run([this, task = std::move(task)] {
      try {
        task();
      } catch (const std::exception& e) {
        spdlog::error("worker: {}", e.what());
      } catch (...) {
        spdlog::error("worker: unknown exception");
      }
      in_flight_.fetch_sub(1);
    });
  });
}

void WorkerPool::wait() {
  arena_.execute([&] { group_.wait(); });
}

runner::JobResult WorkerPool::run_with_retries(const runner::Job& job, runner::RunContext ctx, int retries) {
  runner::JobResult out;
  run_group_with_retries({&job}, std::move(ctx), retries, [&](std::size_t, const runner::JobResult& r) { out = r; });
  return out;
}

namespace {

// The sandbox for `job` in `sandbox` (kept while usable and the limits
// match, else a new one); the open error when there is none.
std::string ensure_sandbox(runner::Engine& engine, std::unique_ptr<runner::Sandbox>& sandbox, const runner::Job& job,
                           const runner::RunContext& ctx) {
  if (sandbox && !sandbox->can_take(job, ctx.image)) sandbox.reset();
  if (sandbox) return "";
  auto opened = runner::open_sandbox(engine, job, ctx);
  if (!opened) return opened.error().message;
  sandbox = std::move(*opened);
  return "";
}

// One attempt at `job`: in the sandbox the group already has when it can
// take the job, else in a newly opened one. Never throws.
runner::JobResult attempt(runner::Engine& engine, std::unique_ptr<runner::Sandbox>& sandbox, const runner::Job& job,
                          const runner::RunContext& ctx) {
  try {
    const std::string open_error = ensure_sandbox(engine, sandbox, job, ctx);
    return runner::run_job_in(sandbox.get(), open_error, job, ctx);
  } catch (const std::exception& e) {
    runner::JobResult r;
    r.id = job.id;
    r.limits = job.limits;
    r.attempts = ctx.attempt;
    r.verdict = runner::Verdict::IE;
    r.ie_reason = runner::IeReason::SetupError;
    r.message = std::string("internal error: ") + e.what();
    return r;
  }
}

// One attempt at an interactive job and its validator, each in its group's
// sandbox (the validator's over an engine connection of its own: the two
// sides run on two threads). The validator's result is in its files; an IE
// of either side is the pair's.
runner::JobResult attempt_pair(runner::Engine& engine, runner::Engine& validator_engine,
                               std::unique_ptr<runner::Sandbox>& sandbox,
                               std::unique_ptr<runner::Sandbox>& validator_sandbox, const runner::Job& job,
                               const runner::RunContext& ctx) {
  const std::string open_error = ensure_sandbox(engine, sandbox, job, ctx);
  runner::RunContext vctx = ctx;
  vctx.zygote = false;  // the validator's driver starts the validator itself
  const std::string vopen_error = ensure_sandbox(validator_engine, validator_sandbox, *job.interactor, vctx);
  auto pair = runner::run_pair(sandbox.get(), open_error, validator_sandbox.get(), vopen_error, job, vctx);
  if (pair.validator.verdict == runner::Verdict::IE) validator_sandbox.reset();
  if (pair.submission.verdict != runner::Verdict::IE && pair.validator.verdict == runner::Verdict::IE &&
      !pair.validator.interrupted) {
    pair.submission.verdict = runner::Verdict::IE;
    pair.submission.ie_reason = pair.validator.ie_reason;
    pair.submission.message = "the interactive validator's run failed: " + pair.validator.message;
  }
  return pair.submission;
}

bool final_attempt(const runner::JobResult& r, int attempt, int retries) {
  return r.interrupted || r.verdict != runner::Verdict::IE || attempt > retries || !runner::is_retryable(r.ie_reason);
}

}  // namespace

void WorkerPool::run_group_with_retries(const std::vector<const runner::Job*>& jobs, runner::RunContext ctx,
                                        int retries, const OnGroupResult& on_result,
                                        const std::function<bool()>& stop) {
  auto& engine = engines_.local();
  std::unique_ptr<runner::Sandbox> sandbox;  // refers to *engine: always reset first
  // An interactive group's validators: their own container and connection.
  std::unique_ptr<runner::Engine> validator_engine;
  std::unique_ptr<runner::Sandbox> validator_sandbox;  // refers to *validator_engine: reset first
  // A zygote pays off from a container's second run on.
  ctx.zygote = ctx.zygote && jobs.size() > 1;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (stop && stop()) break;
    const runner::Job& job = *jobs[i];
    runner::JobResult r;
    for (ctx.attempt = 1;; ++ctx.attempt) {
      if (!engine) engine = std::make_unique<runner::Engine>(endpoint_);
      if (job.interactor && !validator_engine) validator_engine = std::make_unique<runner::Engine>(endpoint_);
      r = job.interactor ? attempt_pair(*engine, *validator_engine, sandbox, validator_sandbox, job, ctx)
                         : attempt(*engine, sandbox, job, ctx);
      if (final_attempt(r, ctx.attempt, retries)) break;
      spdlog::warn("job {}: internal error (attempt {}): {}; retrying in a fresh container", job.id, ctx.attempt,
                   r.message);
      sandbox.reset();
      validator_sandbox.reset();
      validator_engine.reset();
      engine.reset();  // the connection may be what failed
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * ctx.attempt));
    }
    // An IE leaves the container suspect even when retries ran out.
    if (r.verdict == runner::Verdict::IE) sandbox.reset();
    on_result(i, r);
    if (r.interrupted) return;
  }
}

}  // namespace pyjudge::judge
