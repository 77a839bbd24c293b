// A run's record, the last frame of every run: its figures, formatted as the
// flat JSON object that runner/sandbox/supervisor_protocol.cpp parses (keys in
// runner/shared/protocol.h). By hand, so the supervisor needs no JSON library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pyjudge::supervisor {

struct RunRecord {
  std::optional<std::int64_t> rc, signal;  // of coreutils timeout
  std::int64_t wall_ns = 0;
  std::optional<std::int64_t> cpu_ns, memory_peak, oom_kills, memory_cap_ns;
  // CLOCK_MONOTONIC when timeout ended (the host's clock too, under runc):
  // which side of an interactive pair ended first.
  std::optional<std::int64_t> ended_ns;
  std::string cause, error_kind, error;
  std::string cgroup = "none";
  bool reusable = false;
};

// "NONCE {json}".
std::string format_record(const std::string& nonce, const RunRecord& r);

}  // namespace pyjudge::supervisor
