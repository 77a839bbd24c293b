#include "runner/job/job_limits.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "runner/job/job_keys.h"

namespace pyjudge::runner {

Expected<std::int64_t> parse_size(std::string_view text) {
  const std::string shown(text);
  if (text.empty()) return fail("empty size");
  std::int64_t unit = 1;
  const char last = static_cast<char>(std::tolower(static_cast<unsigned char>(text.back())));
  if (std::isalpha(static_cast<unsigned char>(last))) {
    switch (last) {
      case 'b':
        unit = 1;
        break;
      case 'k':
        unit = 1LL << 10;
        break;
      case 'm':
        unit = 1LL << 20;
        break;
      case 'g':
        unit = 1LL << 30;
        break;
      default:
        return fail("bad size '" + shown + "' (use a number with b, k, m or g)");
    }
    text.remove_suffix(1);
  }
  std::int64_t n = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || ptr != end || n < 0)
    return fail("bad size '" + shown + "' (use a number with b, k, m or g)");
  if (n > (std::int64_t{1} << 50) / unit) return fail("size '" + shown + "' is too large");
  return n * unit;
}

Expected<double> parse_positive(std::string_view text, std::string_view what, double max) {
  const std::string shown(text);
  double v = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v))
    return fail(std::string(what) + " must be a number, not '" + shown + "'");
  if (v <= 0) return fail(std::string(what) + " must be positive, not '" + shown + "'");
  if (v > max) return fail(std::string(what) + " '" + shown + "' is above the maximum " + std::to_string(max));
  return v;
}

const std::vector<std::string>& limit_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& key : job_keys())
      if (key.role != KeyRole::Job) k.emplace_back(key.name);
    return k;
  }();
  return keys;
}

namespace {

// "default" (or nothing) is the engine's default runtime.
Status set_runtime(Limits& l, std::string_view value) {
  if (value.empty() || value == "default") {
    l.runtime.clear();
    return ok();
  }
  const bool name_ok = value.size() <= 64 && std::all_of(value.begin(), value.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
                       });
  if (!name_ok) return fail("runtime must be 1-64 of A-Z a-z 0-9 . _ -, not '" + std::string(value) + "'");
  l.runtime = value;
  return ok();
}

// Like the other times, but zero is valid too: SIGKILL right after SIGTERM.
Status set_kill_grace(Limits& l, std::string_view value) {
  auto v = parse_positive(value, "kill_grace", 60);
  if (v) {
    l.kill_grace_s = *v;
    return ok();
  }
  double zero = -1;
  const auto* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, zero);
  if (ec == std::errc() && ptr == end && zero == 0) {
    l.kill_grace_s = 0;
    return ok();
  }
  return v.error();
}

}  // namespace

Status set_limit(Limits& l, std::string_view key, std::string_view value) {
  const auto found = find_job_key(key);
  if (!found || found->role == KeyRole::Job) return fail("unknown limit '" + std::string(key) + "'");
  const std::string k(found->name);
  if (k == "runtime") return set_runtime(l, value);
  auto size_into = [&](std::int64_t& field) -> Status {
    auto v = parse_size(value);
    if (!v) return fail(k + ": " + v.error().message);
    field = *v;
    return ok();
  };
  auto number_into = [&](double& field, double max) -> Status {
    auto v = parse_positive(value, k, max);
    if (!v) return v.error();
    field = *v;
    return ok();
  };
  if (k == "time_limit") return number_into(l.wall_limit_s, kMaxWallLimitS);
  if (k == "kill_grace") return set_kill_grace(l, value);
  if (k == "memory") return size_into(l.memory_bytes);
  if (k == "cpus") return number_into(l.cpus, 1024);
  if (k == "pids") {
    double v = 0;
    if (auto s = number_into(v, 1e9); !s) return s;
    if (v != static_cast<double>(static_cast<std::int64_t>(v)))
      return fail(k + " must be a whole number, not '" + std::string(value) + "'");
    l.pids = static_cast<std::int64_t>(v);
    return ok();
  }
  if (k == "output_limit") return size_into(l.stdout_limit_bytes);
  if (k == "stderr_limit") return size_into(l.stderr_limit_bytes);
  if (k == "tmp_size") return size_into(l.tmp_bytes);
  if (k == "cpu_time_limit") {
    if (value == "none" || value == "0") {
      l.cpu_time_limit_s = 0;
      return ok();
    }
    return number_into(l.cpu_time_limit_s, kMaxWallLimitS);
  }
  return fail("unknown limit '" + k + "'");
}

std::optional<std::string> limit_json_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    return std::string("too-large");
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) {
    const double v = value.get<double>();
    // Whole numbers in float form (1e9, 256000000.0) are sizes written loosely.
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15) return std::to_string(std::llround(v));
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, static_cast<std::size_t>(end - buf));
  }
  return std::nullopt;
}

Status set_limit_json(Limits& l, std::string_view key, const nlohmann::json& value) {
  const auto text = limit_json_text(value);
  if (!text) return fail(std::string(key) + " must be a number or a string");
  return set_limit(l, key, *text);
}

Status validate(const Limits& l) {
  if (!(l.wall_limit_s > 0) || l.wall_limit_s > kMaxWallLimitS) return fail("time limit must be in (0, 86400] seconds");
  if (!(l.kill_grace_s >= 0) || l.kill_grace_s > 60) return fail("kill grace must be in [0, 60] seconds");
  if (l.memory_bytes < kMinMemoryBytes)
    return fail("memory limit " + format_size(l.memory_bytes) + " is below the minimum 16m");
  if (!(l.cpus >= 0.01) || l.cpus > 1024) return fail("cpus must be in [0.01, 1024]");
  if (l.pids < 8 || l.pids > 1'000'000) return fail("pids limit must be in [8, 1000000]");
  if (l.stdout_limit_bytes < 1) return fail("output limit must be at least 1 byte");
  if (l.stderr_limit_bytes < 1) return fail("stderr limit must be at least 1 byte");
  if (l.tmp_bytes < (1LL << 20)) return fail("tmp size must be at least 1m");
  if (!(l.cpu_time_limit_s >= 0) || l.cpu_time_limit_s > kMaxWallLimitS)
    return fail("CPU time limit must be in (0, 86400] seconds, or none");
  return ok();
}

nlohmann::json limit_json(const Limits& l, std::string_view key) {
  if (key == "time_limit") return l.wall_limit_s;
  if (key == "kill_grace") return l.kill_grace_s;
  if (key == "memory") return l.memory_bytes;
  if (key == "cpus") return l.cpus;
  if (key == "pids") return l.pids;
  if (key == "output_limit") return l.stdout_limit_bytes;
  if (key == "stderr_limit") return l.stderr_limit_bytes;
  if (key == "tmp_size") return l.tmp_bytes;
  if (key == "cpu_time_limit")
    return l.cpu_time_limit_s > 0 ? nlohmann::json(l.cpu_time_limit_s) : nlohmann::json(nullptr);
  if (key == "runtime") return l.runtime.empty() ? nlohmann::json(nullptr) : nlohmann::json(l.runtime);
  return nullptr;
}

std::string limit_text(const Limits& l, std::string_view key) {
  const auto found = find_job_key(key);
  const nlohmann::json v = limit_json(l, key);
  if (!found || v.is_null()) return key == "runtime" ? "default" : "none";
  if (found->unit == KeyUnit::Bytes) return format_size(v.get<std::int64_t>());
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return fmt::format("{:g}", v.get<double>());
}

nlohmann::json to_json(const Limits& l) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& key : limit_keys()) j[key] = limit_json(l, key);
  return j;
}

Expected<Limits> limits_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return fail("limits: not an object");
  // Every key by its name in the table; an alias (result.json files written
  // before a rename) is read as its key, an unknown key is refused.
  nlohmann::json named = nlohmann::json::object();
  for (const auto& [name, value] : j.items()) {
    const auto key = find_job_key(name);
    if (!key || key->role == KeyRole::Job) return fail("limits: unknown key \"" + name + "\"");
    if (named.contains(key->name)) return fail("limits: \"" + std::string(key->name) + "\" is given twice");
    named[std::string(key->name)] = value;
  }
  // Sizes must be JSON integers: a float such as 1e300 has no int64 value.
  const auto size = [&](const char* key) -> Expected<std::int64_t> {
    const auto& v = named.at(key);
    if (!v.is_number_integer()) return fail(std::string("limits: ") + key + " is not an integer");
    return v.get<std::int64_t>();
  };
  try {
    Limits l;
    l.wall_limit_s = named.at("time_limit").get<double>();
    l.kill_grace_s = named.at("kill_grace").get<double>();
    l.cpus = named.at("cpus").get<double>();
    for (auto [key, field] : {std::pair{"memory", &l.memory_bytes}, std::pair{"pids", &l.pids},
                              std::pair{"output_limit", &l.stdout_limit_bytes},
                              std::pair{"stderr_limit", &l.stderr_limit_bytes}, std::pair{"tmp_size", &l.tmp_bytes}}) {
      auto v = size(key);
      if (!v) return v.error();
      *field = *v;
    }
    if (const auto c = named.find("cpu_time_limit"); c != named.end() && !c->is_null())
      l.cpu_time_limit_s = c->get<double>();
    if (const auto r = named.find("runtime"); r != named.end() && !r->is_null()) {
      if (auto s = set_runtime(l, r->get<std::string>()); !s) return s.error();
    }
    if (auto s = validate(l); !s) return s.error();
    return l;
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("limits: ") + e.what());
  }
}

std::string format_size(std::int64_t bytes) {
  static constexpr const char* kUnits[] = {"g", "m", "k"};
  static constexpr int kShifts[] = {30, 20, 10};
  for (int i = 0; i < 3; ++i) {
    const std::int64_t unit = std::int64_t{1} << kShifts[i];
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + kUnits[i];
  }
  return std::to_string(bytes) + "b";
}

}  // namespace pyjudge::runner
