#include "supervisor_protocol.h"

#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

namespace pyjudge {

namespace {

template <class T>
std::optional<T> optional_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

}  // namespace

std::string make_header(const std::string& nonce, std::size_t bundle_bytes, const Limits& limits) {
  return fmt::format("pyjudge {} {} {} {} {} {}\n", kProtocolVersion, nonce, bundle_bytes, kScriptName,
                     limits.wall_limit_s, limits.kill_grace_s);
}

std::string record_marker(const std::string& nonce) { return "\x1epyjudge:" + nonce + ":"; }

Expected<SupervisorRecord> parse_record(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.value("v", 0) != kProtocolVersion) return fail("supervisor record has an unknown version");
    SupervisorRecord r;
    r.rc = optional_field<int>(j, "rc");
    r.signal = optional_field<int>(j, "signal");
    r.wall_ns = j.at("wall_ns").get<std::int64_t>();
    r.cpu_ns = optional_field<std::int64_t>(j, "cpu_ns");
    r.memory_peak = optional_field<std::int64_t>(j, "memory_peak");
    r.oom_kills = optional_field<std::int64_t>(j, "oom_kills");
    if (!r.rc && !r.signal) return fail("supervisor record has neither rc nor signal");
    return r;
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("bad supervisor record: ") + e.what());
  }
}

}  // namespace pyjudge
