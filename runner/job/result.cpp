#include "runner/job/result.h"

#include <chrono>
#include <ctime>

#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>

namespace pyjudge::runner {

namespace {
template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json to_json(const JobResult& r) {
  nlohmann::json j = {
      {"id", r.id},
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
      {"reason", r.verdict == Verdict::IE ? nlohmann::json(to_string(r.ie_reason)) : nlohmann::json(nullptr)},
      {"attempts", r.attempts}};
  if (!r.worker.empty()) j["worker"] = r.worker;
  if (r.ended_first) j["ended_first"] = *r.ended_first;
  if (r.ended_first && r.ended_ns) j["ended_ns"] = *r.ended_ns;
  return j;
}

Expected<JobResult> result_from_json(const nlohmann::json& j) {
  try {
    JobResult r;
    r.id = j.at("id").get<std::string>();
    auto v = verdict_from_string(j.at("verdict").get<std::string>());
    if (!v) return fail("unknown verdict");
    r.verdict = *v;
    if (j.at("status").get<int>() != status_of(r.verdict)) return fail("status does not match the verdict");
    if (!j.at("exit_code").is_null()) r.exit_code = j["exit_code"].get<int>();
    if (!j.at("signal").is_null()) r.signal = j["signal"].get<int>();
    r.wall_time = j.at("wall_time").get<double>();
    if (!j.at("cpu_time").is_null()) r.cpu_time = j["cpu_time"].get<double>();
    if (!j.at("memory_peak").is_null()) r.memory_peak = j["memory_peak"].get<std::int64_t>();
    r.stdout_truncated = j.at("stdout_truncated").get<bool>();
    r.stderr_truncated = j.at("stderr_truncated").get<bool>();
    r.image = j.at("image").get<std::string>();
    r.started_at = j.at("started_at").get<std::string>();
    r.finished_at = j.at("finished_at").get<std::string>();
    r.message = j.value("message", "");
    r.attempts = j.value("attempts", 1);
    if (const auto reason = j.find("reason"); reason != j.end() && reason->is_string())
      r.ie_reason = ie_reason_from_string(reason->get<std::string>());
    r.worker = j.value("worker", "");
    if (const auto first = j.find("ended_first"); first != j.end() && first->is_boolean())
      r.ended_first = first->get<bool>();
    if (const auto ns = j.find("ended_ns"); ns != j.end() && ns->is_number_integer())
      r.ended_ns = ns->get<std::int64_t>();
    auto limits = limits_from_json(j.at("limits"));
    if (!limits) return fail("incomplete result: " + limits.error().message);
    r.limits = *limits;
    return r;
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("incomplete result: ") + e.what());
  }
}

std::string iso8601_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[40];  // "YYYY-MM-DDTHH:MM:SS" always fits
  const std::size_t len = std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(date, len) + fmt::format(".{:03}Z", ms);
}

}  // namespace pyjudge::runner
