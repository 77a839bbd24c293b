#include "judge/executor.h"

#include <utility>

#include <spdlog/spdlog.h>

#include "judge/worker_pool.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::judge {

namespace {

// Serving runs to its end through a first signal (which stops the claiming);
// a second one aborts the runs.
bool second_signal() { return interrupt_count() >= 2; }

}  // namespace

Executor::Executor(ExecutorOptions options, runner::Endpoint endpoint, runner::Session session,
                   runner::EngineCapacity capacity)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      session_(std::move(session)),
      capacity_(std::move(capacity)) {}

Executor::Executor(ExecutorOptions options) : options_(std::move(options)) {}

Executor::Executor(ExecutorOptions options, Backend backend)
    : options_(std::move(options)), backend_(std::move(backend)) {}

Executor::~Executor() {
  if (pool_) pool_->wait();
}

Status Executor::accepts(const runner::Job& job) const {
  if (options_.farm) return farm_accepts(job);
  if (capacity_)
    if (auto why = runner::limits_beyond(job.limits, *capacity_)) return fail(*why);
  return ok();
}

BatchOptions Executor::batch_options(const RunRequest& request) const {
  BatchOptions b;
  b.out = request.out;
  b.image = options_.image;
  b.seccomp = options_.seccomp;
  b.zygote = options_.zygote;
  b.concurrency = options_.concurrency;
  b.retries = options_.retries;
  b.fail_fast = request.fail_fast;
  b.resume = request.resume;
  return b;
}

WorkerPool& Executor::pool() {
  if (!pool_) pool_ = std::make_unique<WorkerPool>(options_.concurrency, endpoint_);
  return *pool_;
}

BatchOutcome Executor::run(std::vector<runner::Job> jobs, const RunRequest& request) {
  if (progress_ != nullptr) progress_->planned(jobs.size());
  const OnJobEnd on_end = [this](const BatchEntry& e) {
    spdlog::info("job {}: {} ({})", e.job.id, to_string(e.result.verdict), to_string(e.state));
    if (progress_ != nullptr) progress_->job_ended(e);
  };
  const OnTick on_tick = [this] {
    if (progress_ != nullptr) progress_->tick();
  };
  if (backend_) {
    BatchOutcome o = backend_(std::move(jobs), request);
    for (const auto& e : o.entries)
      if (e.state == EntryState::Done || e.state == EntryState::Resumed) on_end(e);
    return o;
  }
  if (options_.farm)
    return run_farm_batch(std::move(jobs), batch_options(request), *options_.farm, request.label, on_end, on_tick);
  return run_batch(std::move(jobs), batch_options(request), endpoint_, session_, on_end, on_tick);
}

void Executor::submit(std::function<void()> task) {
  if (backend_) {
    task();
    return;
  }
  pool().submit(std::move(task));
}

int Executor::in_flight() const { return pool_ ? pool_->in_flight() : 0; }

void Executor::wait() {
  if (pool_) pool_->wait();
}

BatchOutcome Executor::run_in_slot(std::vector<runner::Job> jobs, const std::filesystem::path& out,
                                   const std::string& label) {
  RunRequest request;
  request.out = out;
  request.label = label;
  if (backend_) return backend_(std::move(jobs), request);
  if (options_.farm) return run_farm_batch(std::move(jobs), batch_options(request), *options_.farm, label, {}, {});

  BatchOutcome o;
  for (auto& j : jobs) o.entries.push_back(BatchEntry{std::move(j), EntryState::Pending, {}});
  const runner::RunContext ctx{options_.image, out, session_, 1, second_signal, options_.seccomp, options_.zygote};
  for (std::size_t i = 0; i < o.entries.size();) {
    // Consecutive jobs of one group share a container.
    std::size_t end = i + 1;
    const std::string& g = o.entries[i].job.group;
    while (!g.empty() && end < o.entries.size() && o.entries[end].job.group == g) ++end;
    std::vector<const runner::Job*> group;
    for (std::size_t k = i; k < end; ++k) group.push_back(&o.entries[k].job);
    pool().run_group_with_retries(
        group, ctx, options_.retries,
        [&](std::size_t k, const runner::JobResult& r) {
          BatchEntry& e = o.entries[i + k];
          e.result = r;
          e.state = r.interrupted ? EntryState::Interrupted : EntryState::Done;
        },
        second_signal);
    i = end;
  }
  for (const auto& e : o.entries)
    if (e.state != EntryState::Done) o.signal = interrupt_signal();
  return o;
}

}  // namespace pyjudge::judge
