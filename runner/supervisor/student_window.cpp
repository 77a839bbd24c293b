#include "runner/supervisor/student_window.h"

#include <algorithm>
#include <climits>

#include "runner/supervisor/cgroup.h"
#include "runner/supervisor/relay.h"
#include "runner/supervisor/student_procs.h"

namespace pyjudge::supervisor {

void StudentWindow::open(pid_t staff_pid) {
  const std::int64_t staff_last = staff_cpu_last_;
  *this = StudentWindow{};
  staff_cpu_last_ = staff_last;
  start_ns_ = now_ns();
  cgroup_cpu_ = read_cgroup_cpu_ns().value_or(0);
  staff_cpu_ = process_cpu_ns(staff_pid).value_or(staff_cpu_last_);
  own_cpu_ = own_cpu_ns();
  memory_ = read_memory_sample().resident_bytes.value_or(0);
  staff_memory_ = resident_bytes(staff_pid).value_or(0);
  oom_kills_ = read_cgroup().oom_kills;
}

std::int64_t StudentWindow::cpu(pid_t staff_pid) {
  if (const auto s = process_cpu_ns(staff_pid)) staff_cpu_last_ = *s;
  const std::int64_t total = read_cgroup_cpu_ns().value_or(cgroup_cpu_) - cgroup_cpu_;
  return std::max<std::int64_t>(0, total - (staff_cpu_last_ - staff_cpu_) - (own_cpu_ns() - own_cpu_));
}

std::int64_t StudentWindow::memory(pid_t staff_pid) {
  const std::int64_t container = read_memory_sample().resident_bytes.value_or(memory_) - memory_;
  const std::int64_t staff = resident_bytes(staff_pid).value_or(staff_memory_) - staff_memory_;
  const std::int64_t mem = std::max<std::int64_t>(0, container - std::max<std::int64_t>(0, staff));
  peak_ = std::max(peak_, mem);
  return mem;
}

std::int64_t StudentWindow::memory_cap() {
  const auto cap = read_memory_limit();
  return cap ? std::max<std::int64_t>(*cap - pyjudge::protocol::kFunctionsHeadroomBytes, 16LL << 20) : INT64_MAX;
}

std::int64_t StudentWindow::oom_kills_since(std::optional<std::int64_t> now) const {
  return now && oom_kills_ ? *now - *oom_kills_ : 0;
}

}  // namespace pyjudge::supervisor
