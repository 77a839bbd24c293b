#include "worker_pool.h"

#include <chrono>
#include <thread>

#include <spdlog/spdlog.h>

namespace pyjudge::cli {

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
  auto& engine = engines_.local();
  JobResult r;
  for (int attempt = 1;; ++attempt) {
    if (!engine) engine = std::make_unique<Engine>(endpoint_);
    ctx.attempt = attempt;
    try {
      r = run_job(*engine, job, ctx);
    } catch (const std::exception& e) {
      r = JobResult{};
      r.id = job.id;
      r.limits = job.limits;
      r.attempts = attempt;
      r.verdict = Verdict::IE;
      r.message = std::string("internal error: ") + e.what();
    }
    if (r.interrupted || r.verdict != Verdict::IE || attempt > retries) return r;
    spdlog::warn("job {}: internal error (attempt {}): {}; retrying in a fresh container", job.id, attempt, r.message);
    engine.reset();  // the connection may be what failed
    std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
  }
}

}  // namespace pyjudge::cli
