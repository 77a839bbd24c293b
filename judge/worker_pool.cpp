#include "judge/worker_pool.h"

#include <chrono>
#include <thread>

#include <spdlog/spdlog.h>

namespace pyjudge::judge {

WorkerPool::WorkerPool(int concurrency, Endpoint endpoint)
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

JobResult WorkerPool::run_with_retries(const Job& job, RunContext ctx, int retries) {
  JobResult out;
  run_group_with_retries({&job}, std::move(ctx), retries, [&](std::size_t, const JobResult& r) { out = r; });
  return out;
}

namespace {

// One attempt at `job`: in the sandbox the group already has when it can
// take the job, else in a newly opened one. Never throws.
JobResult attempt(Engine& engine, std::unique_ptr<Sandbox>& sandbox, const Job& job, const RunContext& ctx) {
  try {
    if (sandbox && (!sandbox->usable() || !sandbox->limits().same_container_limits(job.limits))) sandbox.reset();
    std::string open_error;
    if (!sandbox) {
      auto opened = open_sandbox(engine, job, ctx);
      if (opened)
        sandbox = std::move(*opened);
      else
        open_error = opened.error().message;
    }
    return run_job_in(sandbox.get(), open_error, job, ctx);
  } catch (const std::exception& e) {
    JobResult r;
    r.id = job.id;
    r.limits = job.limits;
    r.attempts = ctx.attempt;
    r.verdict = Verdict::IE;
    r.ie_reason = IeReason::SetupError;
    r.message = std::string("internal error: ") + e.what();
    return r;
  }
}

bool final_attempt(const JobResult& r, int attempt, int retries) {
  return r.interrupted || r.verdict != Verdict::IE || attempt > retries || !is_retryable(r.ie_reason);
}

}  // namespace

void WorkerPool::run_group_with_retries(const std::vector<const Job*>& jobs, RunContext ctx, int retries,
                                        const OnGroupResult& on_result, const std::function<bool()>& stop) {
  auto& engine = engines_.local();
  std::unique_ptr<Sandbox> sandbox;  // refers to *engine: always reset first
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (stop && stop()) break;
    const Job& job = *jobs[i];
    JobResult r;
    for (ctx.attempt = 1;; ++ctx.attempt) {
      if (!engine) engine = std::make_unique<Engine>(endpoint_);
      r = attempt(*engine, sandbox, job, ctx);
      if (final_attempt(r, ctx.attempt, retries)) break;
      spdlog::warn("job {}: internal error (attempt {}): {}; retrying in a fresh container", job.id, ctx.attempt,
                   r.message);
      sandbox.reset();
      engine.reset();  // the connection may be what failed
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * ctx.attempt));
    }
    // An IE leaves the container suspect even when retries ran out.
    if (r.verdict == Verdict::IE) sandbox.reset();
    on_result(i, r);
    if (r.interrupted) return;
  }
}

}  // namespace pyjudge::judge
