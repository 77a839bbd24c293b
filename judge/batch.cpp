#include "judge/batch.h"

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/worker_pool.h"
#include "runner/engine/endpoint.h"
#include "runner/engine/engine.h"
#include "runner/sandbox/cleanup.h"
#include "runner/sandbox/job_runner.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::judge {

std::string_view to_string(EntryState s) {
  switch (s) {
    case EntryState::Pending:
      return "not_run";
    case EntryState::Done:
      return "done";
    case EntryState::Resumed:
      return "resumed";
    case EntryState::Skipped:
      return "skipped";
    case EntryState::Interrupted:
      return "interrupted";
  }
  return "?";
}

namespace {

// One batch in flight: N tasks, each pulling the next unit until none is
// left, an interrupt arrives or --fail-fast stops the taking.
class BatchRun {
 public:
  BatchRun(std::vector<BatchEntry>& entries, const BatchOptions& opt, const runner::Session& session,
           const OnJobEnd& on_end)
      : entries_(entries), units_(units_of(entries)), opt_(opt), session_(session), on_end_(on_end) {}

  bool stopping() const { return interrupted() || stop_taking_.load(); }
  bool stopped_taking() const { return stop_taking_.load(); }

  void work(WorkerPool& pool) {
    while (!stopping()) {
      const std::size_t u = next_.fetch_add(1);
      if (u >= units_.size() || !run_unit(pool, units_[u])) break;
    }
  }

 private:
  // The unit's jobs that still need a run (--resume keeps complete results).
  std::vector<std::size_t> todo_of(const std::vector<std::size_t>& unit) {
    std::vector<std::size_t> todo;
    for (std::size_t i : unit) {
      if (!resume_entry(entries_[i], opt_, on_end_)) todo.push_back(i);
    }
    return todo;
  }

  // False when the unit was interrupted.
  bool run_unit(WorkerPool& pool, const std::vector<std::size_t>& unit) {
    const std::vector<std::size_t> todo = todo_of(unit);
    std::vector<const runner::Job*> jobs;
    jobs.reserve(todo.size());
    for (std::size_t i : todo) jobs.push_back(&entries_[i].job);
    bool was_interrupted = false;
    const auto on_result = [&](std::size_t k, const runner::JobResult& r) {
      BatchEntry& e = entries_[todo[k]];
      e.result = r;
      if (r.interrupted) {
        e.state = EntryState::Interrupted;
        was_interrupted = true;
        return;
      }
      e.state = EntryState::Done;
      if (on_end_) on_end_(e);
      if (opt_.fail_fast && r.status() != 0) stop_taking_.store(true);
    };
    pool.run_group_with_retries(jobs,
                                runner::RunContext{opt_.image, opt_.out, session_, 1, {}, opt_.seccomp, opt_.zygote},
                                opt_.retries, on_result, [this] { return stopping(); });
    return !was_interrupted;
  }

  std::vector<BatchEntry>& entries_;
  const std::vector<std::vector<std::size_t>> units_;
  const BatchOptions& opt_;
  const runner::Session& session_;
  const OnJobEnd& on_end_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_taking_{false};
};

}  // namespace

// A result.json that is complete and not an internal error is kept by --resume.
bool load_complete(const std::filesystem::path& file, runner::JobResult& out) {
  std::ifstream in(file);
  if (!in) return false;
  try {
    auto r = runner::result_from_json(nlohmann::json::parse(in));
    if (!r || r->verdict == runner::Verdict::IE) return false;
    out = *r;
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

bool resume_entry(BatchEntry& entry, const BatchOptions& opt, const OnJobEnd& on_end) {
  if (!opt.resume || !load_complete(runner::result_dir_of(opt.out, entry.job) / "result.json", entry.result))
    return false;
  // An interactive run is complete only with its validator's run.
  runner::JobResult validator;
  if (entry.job.interactor &&
      !load_complete(runner::result_dir_of(opt.out, *entry.job.interactor) / "result.json", validator))
    return false;
  entry.state = EntryState::Resumed;
  if (on_end) on_end(entry);
  return true;
}

// Units of work: a job alone, or every job of one group, in file order.
std::vector<std::vector<std::size_t>> units_of(const std::vector<BatchEntry>& entries) {
  std::vector<std::vector<std::size_t>> units;
  std::map<std::string, std::size_t> unit_of_group;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& g = entries[i].job.group;
    if (g.empty()) {
      units.push_back({i});
      continue;
    }
    auto [it, fresh] = unit_of_group.emplace(g, units.size());
    if (fresh) units.emplace_back();
    units[it->second].push_back(i);
  }
  return units;
}

BatchOutcome run_batch(std::vector<runner::Job> jobs, const BatchOptions& opt, const runner::Endpoint& endpoint,
                       const runner::Session& session, const OnJobEnd& on_end, const OnTick& on_tick) {
  BatchOutcome outcome;
  outcome.entries.reserve(jobs.size());
  for (auto& j : jobs) outcome.entries.push_back(BatchEntry{std::move(j), EntryState::Pending, {}});

  const auto t0 = std::chrono::steady_clock::now();
  BatchRun run(outcome.entries, opt, session, on_end);
  {
    WorkerPool pool(opt.concurrency, endpoint);
    for (int w = 0; w < opt.concurrency; ++w) pool.submit([&] { run.work(pool); });
    while (pool.in_flight() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (on_tick) on_tick();
    }
    pool.wait();
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  outcome.signal = interrupt_signal();

  for (auto& e : outcome.entries)
    if (e.state == EntryState::Pending && run.stopped_taking() && !outcome.signal) e.state = EntryState::Skipped;
  // Safety net: nothing of this session may outlive the batch (a create
  // whose answer was lost, a removal that failed, an interrupt).
  runner::Engine engine(endpoint);
  if (auto n = runner::remove_session_containers(engine, session); n && *n > 0)
    spdlog::warn("removed {} container(s) of this run still present at its end", *n);
  return outcome;
}

}  // namespace pyjudge::judge
