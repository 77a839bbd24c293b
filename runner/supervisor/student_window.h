// One window of a function run's student's own use (the module's import,
// or one test), seen from PID 1: the student's CPU time and memory are the
// container's cgroup counters over the window, less the staff's process
// and PID 1 itself.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "runner/shared/protocol.h"

namespace pyjudge::supervisor {

class StudentWindow {
 public:
  // A new window from now, against the staff's process `staff_pid`.
  void open(pid_t staff_pid);

  // The student's CPU time so far in this window.
  std::int64_t cpu(pid_t staff_pid);

  // The student's memory now (the container's growth, less the staff's);
  // also kept as the window's peak.
  std::int64_t memory(pid_t staff_pid);

  // What a test may hold: the container's cap less the staff's headroom.
  static std::int64_t memory_cap();

  // OOM kills since the window opened, given the cgroup's count now.
  std::int64_t oom_kills_since(std::optional<std::int64_t> now) const;

  std::int64_t start_ns() const { return start_ns_; }
  std::int64_t peak() const { return peak_; }

  // Why a limit ended the window ("" while none did).
  const char* cause() const { return cause_; }
  void set_cause(const char* cause) { cause_ = cause; }

 private:
  const char* cause_ = pyjudge::protocol::cause::kNone;
  std::int64_t start_ns_ = 0;
  std::int64_t cgroup_cpu_ = 0;
  std::int64_t staff_cpu_ = 0;
  std::int64_t own_cpu_ = 0;
  std::int64_t memory_ = 0;
  std::int64_t staff_memory_ = 0;
  std::optional<std::int64_t> oom_kills_;
  std::int64_t peak_ = 0;
  // The staff's CPU time when last read: it stands in when the staff's
  // /proc cannot be read (kept across windows).
  std::int64_t staff_cpu_last_ = 0;
};

}  // namespace pyjudge::supervisor
