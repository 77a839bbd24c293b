// Watches one run's memory through the samples the supervisor takes every
// 20 ms, and decides whether and when the run reached its memory cap: the
// first cause of a run that then stalls in reclaim, is OOM-killed late, or
// runs out of time. Header-only and pure, so the host's unit tests drive it.
//
// The rule (docs/run.md, "Statuses and verdicts"): a run has reached its cap
// when the container is full (everything charged to it is within 3 % of
// the cap, at least 4 MiB) and the run's own memory (anonymous memory and
// tmpfs files, not the page cache an earlier run left) is at least half the
// cap, or when an OOM kill happened during the run. The interpreter's file
// pages and the kernel's memory are charged too, so the run's own memory
// alone never reaches the cap (measured: 122 MB at a 128 MiB cap). A run
// that stays at its cap for 500 ms is ended there: on cgroup v1 such a run
// can otherwise stall in reclaim until its wall limit.
//
// Under gVisor there is no cgroupfs and the container's cap is the script's
// plus the Sentry's headroom (runner/shared/gvisor_memory.h): there the watch
// enforces the script's cap itself, from the sandbox's /proc/meminfo, and a
// run whose own memory reaches it is ended at once.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "runner/supervisor/cgroup.h"

namespace pyjudge::supervisor {

class MemoryWatch {
 public:
  static constexpr std::int64_t kFullSlackPercent = 3;
  static constexpr std::int64_t kFullSlackMinBytes = 4LL << 20;
  static constexpr std::int64_t kOwnSharePercent = 50;
  static constexpr std::int64_t kStallNs = 500'000'000;

  enum class Cap { KernelEnforced, SupervisorEnforced };

  // `limit`: the script's cap (none: nothing is ever "at the cap");
  // `oom_kills`: the OOM-kill counter just before the run; `cap`: whether
  // the kernel enforces the cap (a cgroup) or the supervisor must (gVisor).
  MemoryWatch(std::optional<std::int64_t> limit, std::optional<std::int64_t> oom_kills, Cap cap = Cap::KernelEnforced)
      : limit_(limit), oom_at_start_(oom_kills), cap_(cap) {}

  // One sample, `t_ns` after the run started. True when the run has sat at
  // its cap long enough to be ended now.
  bool observe(std::int64_t t_ns, const MemorySample& s, std::optional<std::int64_t> oom_kills) {
    if (s.resident_bytes) peak_ = std::max(peak_, *s.resident_bytes);
    if (oom_kills && oom_at_start_ && *oom_kills > *oom_at_start_ && !reached_ns_) reached_ns_ = t_ns;
    if (cap_ == Cap::SupervisorEnforced) {
      const bool over = limit_ && s.resident_bytes && *s.resident_bytes >= *limit_;
      if (over && !reached_ns_) reached_ns_ = t_ns;
      return over;
    }
    const bool near = limit_ && s.resident_bytes && s.charged_bytes &&
                      *s.charged_bytes >= *limit_ - std::max(kFullSlackMinBytes, *limit_ * kFullSlackPercent / 100) &&
                      *s.resident_bytes * 100 >= *limit_ * kOwnSharePercent;
    if (!near) {
      streak_start_.reset();
      return false;
    }
    if (!reached_ns_) reached_ns_ = t_ns;
    if (!streak_start_) streak_start_ = t_ns;
    return t_ns - *streak_start_ >= kStallNs;
  }

  // When the run was first seen at its cap, in ns since it started.
  std::optional<std::int64_t> reached_ns() const { return reached_ns_; }
  // The largest sample of the run's own memory, in bytes (0: none taken).
  std::int64_t peak_bytes() const { return peak_; }

 private:
  std::optional<std::int64_t> limit_;
  std::optional<std::int64_t> oom_at_start_;
  std::optional<std::int64_t> reached_ns_;
  std::optional<std::int64_t> streak_start_;
  Cap cap_;
  std::int64_t peak_ = 0;
};

}  // namespace pyjudge::supervisor
