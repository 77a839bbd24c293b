// EngineCapacity: what the engine's machine can honour (its CPUs and memory,
// and the OCI runtimes registered with it, from GET /info), and the check of a job's limits against it, so that a
// limit no container could get is bad input, refused before anything runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "runner/engine/engine.h"
#include "runner/job/job_limits.h"
#include "runner/shared/expected.h"

namespace pyjudge::runner {

struct EngineCapacity {
  int ncpu = 0;                       // NCPU
  std::int64_t mem_total = 0;         // MemTotal, bytes
  std::vector<std::string> runtimes;  // the keys of Runtimes, sorted; empty: not known (all accepted)
};

// From an /info answer; fails when either figure is missing.
Expected<EngineCapacity> capacity_from_info(const nlohmann::json& info);
Expected<EngineCapacity> engine_capacity(Engine& engine);

// Why `limits` cannot be honoured on that machine ("cpus 64 is more than
// the engine's 2 CPUs"), or nothing when they can. Several problems are
// joined with "; ".
std::optional<std::string> limits_beyond(const Limits& limits, const EngineCapacity& cap);

}  // namespace pyjudge::runner
