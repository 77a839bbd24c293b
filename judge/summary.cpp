#include "judge/summary.h"

#include <map>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "judge/exit_codes.h"

namespace pyjudge::judge {

namespace {

bool has_result(const BatchEntry& e) { return e.state == EntryState::Done || e.state == EntryState::Resumed; }

}  // namespace

nlohmann::json summary_json(const BatchOutcome& o) {
  std::map<std::string, int> by_status = {{"0", 0}, {"124", 0}, {"-1", 0}};
  std::map<std::string, int> by_verdict;
  for (auto v : {runner::Verdict::OK, runner::Verdict::TLE, runner::Verdict::MLE, runner::Verdict::OLE,
                 runner::Verdict::RE, runner::Verdict::IE})
    by_verdict[std::string(to_string(v))] = 0;
  std::map<std::string, int> by_state;
  nlohmann::json jobs = nlohmann::json::array();
  int finished = 0;
  for (const auto& e : o.entries) {
    ++by_state[std::string(to_string(e.state))];
    nlohmann::json j = {{"id", e.job.id}, {"state", to_string(e.state)}};
    if (has_result(e)) {
      ++finished;
      ++by_status[std::to_string(e.result.status())];
      ++by_verdict[std::string(to_string(e.result.verdict))];
      j["status"] = e.result.status();
      j["verdict"] = to_string(e.result.verdict);
      j["wall_time"] = e.result.wall_time;
      j["attempts"] = e.result.attempts;
    } else {
      j["status"] = nullptr;
      j["verdict"] = nullptr;
    }
    jobs.push_back(std::move(j));
  }
  return {{"total", o.entries.size()},
          {"finished", finished},
          {"unfinished", static_cast<int>(o.entries.size()) - finished},
          {"interrupted", o.signal != 0},
          {"signal", o.signal ? nlohmann::json(o.signal) : nlohmann::json(nullptr)},
          {"error", o.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.error)},
          {"by_status", by_status},
          {"by_verdict", by_verdict},
          {"by_state", by_state},
          {"wall_time", o.seconds},
          {"jobs_per_second", o.seconds > 0 ? finished / o.seconds : 0.0},
          {"exit_code", batch_exit_code(o)},
          {"jobs", jobs}};
}

std::string human_summary(const BatchOutcome& o) {
  const auto j = summary_json(o);
  std::string verdicts;
  for (const auto& [k, v] : j["by_verdict"].items())
    if (v.get<int>() > 0) verdicts += fmt::format("{}{} {}", verdicts.empty() ? "" : ", ", k, v.get<int>());
  std::string s = fmt::format("{} of {} jobs finished in {:.1f} s ({:.1f} jobs/s)", j["finished"].get<int>(),
                              o.entries.size(), o.seconds, j["jobs_per_second"].get<double>());
  if (!verdicts.empty()) s += ": " + verdicts;
  const int resumed = j["by_state"].value("resumed", 0);
  const int skipped = j["by_state"].value("skipped", 0);
  if (resumed) s += fmt::format("; {} resumed", resumed);
  if (skipped) s += fmt::format("; {} skipped (--fail-fast)", skipped);
  if (o.signal) s += fmt::format("; interrupted by signal {}, {} not finished", o.signal, j["unfinished"].get<int>());
  return s;
}

int batch_exit_code(const BatchOutcome& o) {
  if (o.signal) return exit_for_signal(o.signal);
  if (!o.error.empty()) return kExitUnavailable;
  int worst = kExitOk;
  for (const auto& e : o.entries) {
    // A job that should have run and has no result is a failure, not a pass.
    if (e.state == EntryState::Pending || e.state == EntryState::Interrupted) return kExitFailed;
    if (!has_result(e)) continue;
    const int code = exit_for_status(e.result.status());
    if (code == kExitFailed) return kExitFailed;
    if (code == kExitTimeout) worst = kExitTimeout;
  }
  return worst;
}

}  // namespace pyjudge::judge
