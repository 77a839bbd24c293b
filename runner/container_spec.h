// ContainerSpec: the JSON body of "create container" for one job — the image,
// the supervisor command, and every limit and isolation setting.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "job_limits.h"

namespace pyjudge {

// The runner image's user; the image's /etc/passwd names it "runner".
inline constexpr const char* kSandboxUser = "10001:10001";
inline constexpr const char* kSupervisorPath = "/opt/pyjudge/supervise.py";

nlohmann::json container_spec(const std::string& image, const Limits& limits,
                              const std::map<std::string, std::string>& labels);

}  // namespace pyjudge
