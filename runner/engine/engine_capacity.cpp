#include "runner/engine/engine_capacity.h"

#include <algorithm>

#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>

namespace pyjudge::runner {

Expected<EngineCapacity> capacity_from_info(const nlohmann::json& info) {
  const auto ncpu = info.find("NCPU");
  const auto mem = info.find("MemTotal");
  if (ncpu == info.end() || mem == info.end() || !ncpu->is_number_integer() || !mem->is_number_integer())
    return fail("the engine's /info has no NCPU or MemTotal");
  EngineCapacity c{ncpu->get<int>(), mem->get<std::int64_t>(), {}};
  if (const auto rt = info.find("Runtimes"); rt != info.end() && rt->is_object())
    for (const auto& [name, spec] : rt->items()) c.runtimes.push_back(name);  // nlohmann's objects are sorted
  if (c.ncpu < 1 || c.mem_total < 1) return fail("the engine's /info reports no CPUs or no memory");
  return c;
}

Expected<EngineCapacity> engine_capacity(Engine& engine) {
  auto info = engine.info();
  if (!info) return info.error();
  return capacity_from_info(*info);
}

std::optional<std::string> limits_beyond(const Limits& limits, const EngineCapacity& cap) {
  std::string why;
  auto add = [&](const std::string& s) { why += (why.empty() ? "" : "; ") + s; };
  if (limits.cpus > cap.ncpu)
    add(fmt::format("cpus {:g} is more than the engine's {} CPU{}", limits.cpus, cap.ncpu, cap.ncpu == 1 ? "" : "s"));
  if (limits.memory_bytes > cap.mem_total)
    add("memory " + format_size(limits.memory_bytes) + " is more than the engine's machine has (" +
        fmt::format("{:.1f} GiB", static_cast<double>(cap.mem_total) / (1 << 30)) + ")");
  const auto& rts = cap.runtimes;
  if (!limits.runtime.empty() && !rts.empty() && std::find(rts.begin(), rts.end(), limits.runtime) == rts.end()) {
    std::string known;
    for (const auto& r : rts) known += (known.empty() ? "" : ", ") + r;
    add("runtime '" + limits.runtime + "' is not registered with the engine (it has " + known + ")");
  }
  if (why.empty()) return std::nullopt;
  return why;
}

}  // namespace pyjudge::runner
