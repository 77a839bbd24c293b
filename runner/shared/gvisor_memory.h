// The memory gVisor's Sentry gets above the script's cap, shared by the
// container spec (which adds it) and the supervisor (which enforces the
// script's own cap inside the sandbox). Header-only, free of dependencies.
//
// Under gVisor the container's memory cgroup charges the Sentry for the
// script's memory: at the bare cap the kernel's OOM killer ends the Sentry,
// the whole sandbox, and the run has no record (IE). With this headroom the
// cgroup is a backstop, and the supervisor ends the run itself when gVisor's
// own accounting (/proc/meminfo inside the sandbox, whose MemTotal is the
// container's cap) shows the script at its cap: MLE, as under runc.
#pragma once

#include <cstdint>

namespace pyjudge {

inline constexpr std::int64_t kGvisorMemoryHeadroomBytes = 256LL << 20;

}  // namespace pyjudge
