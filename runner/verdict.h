// Verdict classification: turns what was observed about a finished job into
// its status (0 / 124 / -1) and verdict, keeping the judge's own failures
// (IE) apart from what the script did, and letting the first cause win.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pyjudge {

enum class Verdict { OK, TLE, MLE, OLE, RE, IE };

std::string_view to_string(Verdict v);
std::optional<Verdict> verdict_from_string(std::string_view s);
// 0 for OK, 124 for TLE, -1 for everything else.
int status_of(Verdict v);

// What the host itself decided while the job ran; only the first is kept.
enum class HostCause { None, Deadline, StdoutLimit, StderrLimit, InternalError };

// The in-container supervisor's report (see images/python/supervise.py).
struct SupervisorRecord {
  std::optional<int> rc;      // exit status of coreutils timeout
  std::optional<int> signal;  // signal that ended it
  std::int64_t wall_ns = 0;   // script's wall time, measured inside
  std::optional<std::int64_t> cpu_ns;
  std::optional<std::int64_t> memory_peak;
  std::optional<std::int64_t> oom_kills;
};

// What the engine said when no record arrived.
struct EngineExit {
  int exit_code = 0;
  bool oom_killed = false;
};

struct Observation {
  HostCause cause = HostCause::None;
  std::string cause_message;
  std::optional<SupervisorRecord> record;
  std::optional<EngineExit> engine_exit;
  double wall_limit_s = 0;
  double kill_grace_s = 0;
};

struct Classification {
  Verdict verdict = Verdict::IE;
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::string message;
};

Classification classify(const Observation& obs);

}  // namespace pyjudge
