#include "runner/sandbox/supervisor_protocol.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace pyjudge::runner {

namespace {

template <class T>
std::optional<T> optional_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

std::int64_t to_ns(double seconds) { return static_cast<std::int64_t>(std::llround(seconds * 1e9)); }

}  // namespace

std::string make_run_header(const std::string& nonce, std::size_t bundle_bytes, const Limits& limits,
                            const std::string& entry) {
  protocol::RunHeader h;
  h.entry = entry;
  h.nonce = nonce;
  h.bundle_bytes = bundle_bytes;
  h.wall_limit_ns = to_ns(limits.wall_limit_s);
  h.kill_grace_ns = to_ns(limits.kill_grace_s);
  h.cpu_limit_ns = to_ns(limits.cpu_time_limit_s);
  h.stdout_cap = limits.stdout_limit_bytes;
  h.stderr_cap = limits.stderr_limit_bytes;
  return protocol::format_run_header(h);
}

Expected<SupervisorRecord> parse_record(std::string_view payload, std::string_view nonce) {
  const auto sp = payload.find(' ');
  if (sp == std::string_view::npos || payload.substr(0, sp) != nonce)
    return fail("a supervisor record without this run's nonce");
  try {
    const auto j = nlohmann::json::parse(payload.substr(sp + 1));
    if (j.value("v", 0) != protocol::kVersion) return fail("supervisor record has an unknown version");
    SupervisorRecord r;
    r.rc = optional_field<int>(j, "rc");
    r.signal = optional_field<int>(j, "signal");
    r.wall_ns = j.at("wall_ns").get<std::int64_t>();
    r.cpu_ns = optional_field<std::int64_t>(j, "cpu_ns");
    r.memory_peak = optional_field<std::int64_t>(j, "memory_peak");
    r.oom_kills = optional_field<std::int64_t>(j, "oom_kills");
    r.memory_cap_ns = optional_field<std::int64_t>(j, "memory_cap_ns");
    r.ended_ns = optional_field<std::int64_t>(j, "ended_ns");
    r.cause = j.value("cause", "");
    r.error_kind = j.value("error_kind", "");
    r.error = j.value("error", "");
    r.reusable = j.value("reusable", false);
    if (r.error_kind.empty() && !r.rc && !r.signal) return fail("supervisor record has neither rc nor signal");
    return r;
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("bad supervisor record: ") + e.what());
  }
}

}  // namespace pyjudge::runner
