#include "batch.h"

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "cleanup.h"
#include "endpoint.h"
#include "engine.h"
#include "interrupt.h"
#include "job_runner.h"
#include "worker_pool.h"

namespace pyjudge::cli {

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

// A result.json that is complete and not an internal error is kept by --resume.
bool load_complete(const std::filesystem::path& file, JobResult& out) {
  std::ifstream in(file);
  if (!in) return false;
  try {
    auto r = result_from_json(nlohmann::json::parse(in));
    if (!r || r->verdict == Verdict::IE) return false;
    out = *r;
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace

BatchOutcome run_batch(std::vector<Job> jobs, const BatchOptions& opt, const Session& session, const OnJobEnd& on_end,
                       const OnTick& on_tick) {
  BatchOutcome outcome;
  outcome.entries.reserve(jobs.size());
  for (auto& j : jobs) outcome.entries.push_back(BatchEntry{std::move(j), EntryState::Pending, {}});
  auto& entries = outcome.entries;

  auto endpoint = endpoint_from_env();
  if (!endpoint) throw std::runtime_error(endpoint.error().message);

  // Units of work: a job alone, or every job of one group, in file order.
  std::vector<std::vector<std::size_t>> units;
  {
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
  }

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop_taking{false};
  const auto t0 = std::chrono::steady_clock::now();
  auto stopping = [&] { return interrupted() || stop_taking.load(); };

  // N tasks, each pulling the next unit until none is left.
  auto work = [&](WorkerPool& pool) {
    for (;;) {
      if (stopping()) break;
      const std::size_t u = next.fetch_add(1);
      if (u >= units.size()) break;
      std::vector<std::size_t> todo;
      for (std::size_t i : units[u]) {
        BatchEntry& e = entries[i];
        if (opt.resume && load_complete(result_dir_of(opt.out, e.job) / "result.json", e.result)) {
          e.state = EntryState::Resumed;
          if (on_end) on_end(e);
        } else {
          todo.push_back(i);
        }
      }
      std::vector<const Job*> unit_jobs;
      for (std::size_t i : todo) unit_jobs.push_back(&entries[i].job);
      bool was_interrupted = false;
      pool.run_group_with_retries(
          unit_jobs, RunContext{opt.image, opt.out, session, 1, {}}, opt.retries,
          [&](std::size_t k, const JobResult& r) {
            BatchEntry& e = entries[todo[k]];
            e.result = r;
            if (r.interrupted) {
              e.state = EntryState::Interrupted;
              was_interrupted = true;
              return;
            }
            e.state = EntryState::Done;
            if (on_end) on_end(e);
            if (opt.fail_fast && r.status() != 0) stop_taking.store(true);
          },
          stopping);
      if (was_interrupted) break;
    }
  };
  {
    WorkerPool pool(opt.concurrency, *endpoint);
    for (int w = 0; w < opt.concurrency; ++w) pool.submit([&] { work(pool); });
    while (pool.in_flight() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (on_tick) on_tick();
    }
    pool.wait();
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  outcome.signal = interrupt_signal();

  for (auto& e : entries)
    if (e.state == EntryState::Pending && stop_taking.load() && !outcome.signal) e.state = EntryState::Skipped;
  // Safety net: nothing of this session may outlive the batch (a create
  // whose answer was lost, a removal that failed, an interrupt).
  Engine engine(*endpoint);
  if (auto n = remove_session_containers(engine, session); n && *n > 0)
    spdlog::warn("removed {} container(s) of this run still present at its end", *n);
  return outcome;
}

}  // namespace pyjudge::cli
