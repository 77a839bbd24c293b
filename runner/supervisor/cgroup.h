// The container's own cgroup counters, read from inside: CPU time and OOM
// kills, on cgroup v1 (cpuacct, memory) or v2 (cpu.stat, memory.events).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace supervisor {

struct CgroupCounters {
  std::optional<std::int64_t> cpu_ns;
  std::optional<std::int64_t> oom_kills;
  const char* version = "none";  // "v1", "v2" or "none" (gVisor, no cgroupfs)
};

// `root` is /sys/fs/cgroup in the container; tests point it at fixtures.
CgroupCounters read_cgroup(const std::string& root = "/sys/fs/cgroup");
// Only the CPU counter, for the live CPU-time check (one read).
std::optional<std::int64_t> read_cgroup_cpu_ns(const std::string& root = "/sys/fs/cgroup");

}  // namespace supervisor
