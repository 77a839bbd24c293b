// Batch scheduling: runs many jobs on a oneTBB arena with at most N at once,
// one engine connection per worker, retries for the judge's own failures,
// --resume and --fail-fast, and a prompt stop on an interrupt.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "runner/engine/endpoint.h"
#include "runner/job/job.h"
#include "runner/job/result.h"
#include "runner/sandbox/seccomp.h"
#include "runner/sandbox/session.h"

namespace pyjudge::judge {

struct BatchOptions {
  std::filesystem::path out;
  std::string image;
  runner::Seccomp seccomp = runner::Seccomp::Pyjudge;
  bool zygote = true;  // a group's container forks its runs from a zygote
  int concurrency = 4;
  int retries = 2;  // extra attempts for an IE
  bool fail_fast = false;
  bool resume = false;
};

enum class EntryState {
  Pending,      // not started (yet, or ever: see the batch's end state)
  Done,         // ran now; result written
  Resumed,      // a complete result was already there (--resume)
  Skipped,      // not run because of --fail-fast
  Interrupted,  // was running when the batch was interrupted; no result
};

std::string_view to_string(EntryState s);

struct BatchEntry {
  runner::Job job;
  EntryState state = EntryState::Pending;
  runner::JobResult result;
};

struct BatchOutcome {
  std::vector<BatchEntry> entries;
  double seconds = 0;
  int signal = 0;  // the interrupt that stopped the batch, or 0
  // The judge's own failure that stopped the batch (the farm's queue lost),
  // or empty. Jobs without a result stay Pending.
  std::string error;
};

// Called from worker threads when a job ends (Done or Resumed).
using OnJobEnd = std::function<void(const BatchEntry&)>;
// Called about every 100 ms on the calling thread while the batch runs.
using OnTick = std::function<void()>;

// Units of work: a job alone, or every job of one group, in file order (the
// local pool and the farm schedule the same units).
std::vector<std::vector<std::size_t>> units_of(const std::vector<BatchEntry>& entries);
// A result.json that is complete and not an internal error: --resume keeps it.
bool load_complete(const std::filesystem::path& file, runner::JobResult& out);
// With --resume, an entry whose result.json is complete becomes Resumed (and
// `on_end` hears of it); true when it did. The pool and the farm share it.
bool resume_entry(BatchEntry& entry, const BatchOptions& opt, const OnJobEnd& on_end);

// The local pool; Executor::run is how the commands reach it.
BatchOutcome run_batch(std::vector<runner::Job> jobs, const BatchOptions& options, const runner::Endpoint& endpoint,
                       const runner::Session& session, const OnJobEnd& on_end, const OnTick& on_tick);

}  // namespace pyjudge::judge
