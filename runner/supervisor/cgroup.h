// The container's own cgroup counters, read from inside: CPU time, OOM
// kills and the memory the run holds, on cgroup v1 (cpuacct, memory) or v2
// (cpu.stat, memory.events, memory.stat). The script cannot hide from them:
// a child reaped by the kernel (SIGCHLD ignored) is still counted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pyjudge::supervisor {

struct CgroupCounters {
  std::optional<std::int64_t> cpu_ns;
  std::optional<std::int64_t> oom_kills;
  const char* version = "none";  // "v1", "v2" or "none" (gVisor, no cgroupfs)
};

// `root` is /sys/fs/cgroup in the container; tests point it at fixtures.
CgroupCounters read_cgroup(const std::string& root = "/sys/fs/cgroup");
// Only the CPU counter, for the live CPU-time check (one read).
std::optional<std::int64_t> read_cgroup_cpu_ns(const std::string& root = "/sys/fs/cgroup");

// The container's memory right now: what of it belongs to the run, the
// processes' anonymous memory and the tmpfs files (/tmp, /dev/shm), not the
// page cache an earlier run may have left; and everything charged to it
// (v1 memory.usage_in_bytes, v2 memory.current: page cache and kernel
// memory included). The cap-hit counters (v1 memory.failcnt, v2
// memory.events "max") are not used: on these machines' v1 hierarchy they
// stayed 0 through OOM kills, and they also count page-cache reclaim.
struct MemorySample {
  std::optional<std::int64_t> resident_bytes;
  std::optional<std::int64_t> charged_bytes;
};
MemorySample read_memory_sample(const std::string& root = "/sys/fs/cgroup");
// The container's memory cap in bytes; nullopt when unlimited or unreadable.
std::optional<std::int64_t> read_memory_limit(const std::string& root = "/sys/fs/cgroup");

// Without a cgroupfs (gVisor): the sandbox's own accounting in
// /proc/meminfo, where MemTotal is the container's cap. resident_bytes is
// AnonPages + Shmem, charged_bytes MemTotal - MemFree.
MemorySample read_meminfo_sample(const std::string& path = "/proc/meminfo");
std::optional<std::int64_t> read_meminfo_total(const std::string& path = "/proc/meminfo");

}  // namespace pyjudge::supervisor
