// The farm's worker side: pulls units of jobs from the queue while it has a
// free slot, runs them on this machine's engine exactly as local jobs run,
// records each job's result once, keeps its lease on what it runs, takes
// over the units of workers that died, and drains on the first signal.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

#include "judge/farm/farm_producer.h"
#include "judge/farm/redis_link.h"
#include "runner/engine/endpoint.h"
#include "runner/engine/engine_capacity.h"
#include "runner/sandbox/seccomp.h"
#include "runner/sandbox/session.h"

namespace pyjudge::judge {

struct WorkerOptions {
  FarmTarget farm;
  std::string name;  // host:pid: the consumer name, and result.json's "worker"
  int slots = 4;     // units at once
  int retries = 2;
  std::string image;
  runner::Seccomp seccomp = runner::Seccomp::Pyjudge;
  bool zygote = true;   // a group's container forks its runs from a zygote
  std::string runtime;  // every job's runtime; empty: the engine's default
  // A unit whose worker has not renewed its lease for this long goes to
  // another worker.
  std::chrono::seconds lease{30};
  runner::EngineCapacity capacity;  // what this engine can honour
  std::filesystem::path scratch;    // where units' files are unpacked
};

struct WorkerOutcome {
  int signal = 0;       // the signal that stopped it
  bool killed = false;  // a second signal killed running jobs
  std::size_t units = 0;
  std::size_t rejected = 0;
};

// Runs until a signal: the first drains, the second kills the running jobs.
// Redis may come and go meanwhile; the worker reconnects. Removes its
// containers and its scratch folder before it returns.
WorkerOutcome run_worker(const WorkerOptions& opt, const runner::Session& session, const runner::Endpoint& endpoint);

// Connects, creates the group if need be, and checks that this Redis can run
// a worker (XAUTOCLAIM: Redis 6.2 or later; the ACL user's rights). The
// error says which.
Status prepare_farm_queue(const FarmTarget& farm, const std::string& consumer);

// The group must exist before the first read (created at the stream's start,
// so that nothing sent before the first worker is missed).
Status ensure_farm_group(RedisLink& link, const std::string& queue);

}  // namespace pyjudge::judge
