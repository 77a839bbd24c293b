#include "result.h"

#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

namespace pyjudge {

namespace {
template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json to_json(const JobResult& r) {
  return {{"id", r.id},
          {"status", r.status()},
          {"verdict", to_string(r.verdict)},
          {"exit_code", or_null(r.exit_code)},
          {"signal", or_null(r.signal)},
          {"wall_time", r.wall_time},
          {"cpu_time", or_null(r.cpu_time)},
          {"memory_peak", or_null(r.memory_peak)},
          {"stdout_truncated", r.stdout_truncated},
          {"stderr_truncated", r.stderr_truncated},
          {"limits", to_json(r.limits)},
          {"image", r.image},
          {"started_at", r.started_at},
          {"finished_at", r.finished_at},
          {"message", r.message},
          {"attempts", r.attempts}};
}

std::string iso8601_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

}  // namespace pyjudge
