// ContainerSpec: the JSON body of "create container" — the image, the
// supervisor command, and every container-level limit and isolation setting
// (memory, CPU quota, pids, /tmp; the per-run limits travel in each run's header).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/job/job_limits.h"
#include "runner/sandbox/seccomp.h"
#include "runner/shared/protocol.h"

namespace pyjudge::runner {

// The runner image's user; the image's /etc/passwd names it "runner".
inline constexpr const char* kSandboxUser = "10001:10001";

// Under gVisor the container's pids cgroup also holds the Sentry's own
// threads and, on the ptrace platform, a host stub per guest thread: with
// the bare --pids the Sentry runs out of threads and panics (the run is IE).
// A fork bomb at --pids 64 was seen at up to 574 host pids beside two busy
// loops (and 512 was reached: IE 1 time in 8), so the cap is about 2.7 times that.
// The script itself is held to --pids inside the sandbox (RLIMIT_NPROC).
inline constexpr std::int64_t kGvisorPidsHeadroom = 1472;
// The container's PidsLimit: --pids, plus the headroom under gVisor.
std::int64_t container_pids(const Limits& limits);
// The container's memory cap: the script's, plus kGvisorMemoryHeadroomBytes
// under gVisor (gvisor_memory.h), where the supervisor enforces the script's.
std::int64_t container_memory(const Limits& limits);

// What a container is for. A function run's (docs/functions.md) starts its
// supervisor as root holding CAP_SETUID and CAP_SETGID only, which it gives
// up once the staff's process has started, and its memory cap is the
// student's plus protocol::kFunctionsHeadroomBytes for the staff's
// interpreter and the zygote. A script container with a zygote (README.md,
// "The zygote") starts its supervisor as root with those two and
// CAP_SETPCAP, which it gives up once the zygote has started; each run's
// fork of the zygote empties its bounding set and then gives them up too.
enum class ContainerRole { Script, ZygoteScript, FunctionRun };

// `seccomp`: pyjudge's profile or the engine's default (seccomp.h);
// limits.runtime picks the OCI runtime.
nlohmann::json container_spec(const std::string& image, const Limits& limits,
                              const std::map<std::string, std::string>& labels, Seccomp seccomp = Seccomp::Pyjudge,
                              ContainerRole role = ContainerRole::Script);

}  // namespace pyjudge::runner
