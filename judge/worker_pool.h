// WorkerPool: the oneTBB arena every mode runs jobs on — at most N tasks at
// once, one persistent engine connection per worker thread, and the retry
// of jobs that failed with IE.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "runner/engine/endpoint.h"
#include "runner/engine/engine.h"
#include "runner/sandbox/job_runner.h"

namespace pyjudge::judge {

class WorkerPool {
 public:
  WorkerPool(int concurrency, runner::Endpoint endpoint);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  WorkerPool(WorkerPool&&) = delete;
  WorkerPool& operator=(WorkerPool&&) = delete;

  // Queues `task`; returns at once. Tasks run on the arena's workers.
  void submit(std::function<void()> task);
  // Tasks submitted and not yet finished.
  int in_flight() const { return in_flight_.load(); }
  // Blocks until every submitted task has finished.
  void wait();
  int concurrency() const { return concurrency_; }

  // On a worker: runs `job`, and again in a fresh container (and over a
  // fresh connection) while it ends in an IE that a fresh attempt can help
  // (is_retryable), up to `retries` more times.
  runner::JobResult run_with_retries(const runner::Job& job, runner::RunContext ctx, int retries);

  // On a worker: runs `jobs` in order in one container, as long as it stays
  // usable and the next job's container-level limits match; otherwise the
  // rest go on in a fresh one. A job that ends in IE is retried as above, in
  // a fresh container. `on_result(i, result)` follows each job (an
  // interrupted one too, which ends the group); `stop()` is asked before each.
  using OnGroupResult = std::function<void(std::size_t, const runner::JobResult&)>;
  void run_group_with_retries(const std::vector<const runner::Job*>& jobs, runner::RunContext ctx, int retries,
                              const OnGroupResult& on_result, const std::function<bool()>& stop = {});

 private:
  int concurrency_;
  runner::Endpoint endpoint_;
  // oneTBB caps workers at the core count; these tasks block on the engine
  // rather than compute, so allow one worker per concurrent job.
  tbb::global_control parallelism_;
  tbb::task_arena arena_;
  tbb::task_group group_;
  tbb::enumerable_thread_specific<std::unique_ptr<runner::Engine>> engines_;
  std::atomic<int> in_flight_{0};
};

}  // namespace pyjudge::judge
