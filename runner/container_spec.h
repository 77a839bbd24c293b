// ContainerSpec: the JSON body of "create container" — the image, the
// supervisor command, and every container-level limit and isolation setting
// (memory, CPU quota, pids, /tmp; the per-run limits travel in each run's header).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "job_limits.h"
#include "protocol.h"

namespace pyjudge {

// The runner image's user; the image's /etc/passwd names it "runner".
inline constexpr const char* kSandboxUser = "10001:10001";

nlohmann::json container_spec(const std::string& image, const Limits& limits,
                              const std::map<std::string, std::string>& labels);

}  // namespace pyjudge
