// Verdict classification: turns what was observed about a finished job into
// its status (0 / 124 / -1) and verdict, keeping the judge's own failures
// (IE) apart from what the script did, and letting the first cause win.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pyjudge::runner {

enum class Verdict { OK, TLE, MLE, OLE, RE, IE };

std::string_view to_string(Verdict v);
std::optional<Verdict> verdict_from_string(std::string_view s);
// 0 for OK, 124 for TLE, -1 for everything else.
int status_of(Verdict v);

// What the host itself decided while the job ran; only the first is kept.
enum class HostCause { None, Deadline, StdoutLimit, StderrLimit, InternalError };

// Why a run is IE: the judge's failure, never the script's. Whether a fresh
// attempt can help depends on it.
enum class IeReason {
  None,
  EngineError,       // the engine refused or failed a call
  InputError,        // the job's own files (script, stdin) could not be read
  SetupError,        // the run could not be prepared (result files, bundle, /tmp)
  LaunchFailed,      // timeout or python3 could not be executed in the container
  KilledExternally,  // the container was killed from outside
  ConnectionLost,    // the attach stream or the supervisor went away
  ProtocolError,     // the supervisor's report was malformed
};
std::string_view to_string(IeReason r);
// The inverse of to_string(IeReason); "" and unknown names are None.
IeReason ie_reason_from_string(std::string_view s);
// Whether a fresh attempt can help: not for the job's own unreadable files
// or an image that cannot launch the script; yes for the engine, the
// connection and the container.
bool is_retryable(IeReason r);

// The in-container supervisor's report on one run (runner/shared/protocol.h).
struct SupervisorRecord {
  std::optional<int> rc;                      // exit status of coreutils timeout
  std::optional<int> signal;                  // signal that ended it
  std::int64_t wall_ns = 0;                   // script's wall time, measured inside
  std::optional<std::int64_t> cpu_ns;         // the run's processes, summed
  std::optional<std::int64_t> memory_peak;    // the run's largest process's peak RSS
  std::optional<std::int64_t> oom_kills;      // OOM kills in the container during the run
  std::optional<std::int64_t> memory_cap_ns;  // when the run was first seen at its memory cap
  std::optional<std::int64_t> ended_ns;       // CLOCK_MONOTONIC when the run ended
  std::string cause;                          // protocol::cause: why the supervisor ended the run itself
  std::string error_kind;                     // protocol::error_kind: the run could not happen (IE)
  std::string error;
  bool reusable = false;  // the container was reset and may run the next run
};

// What the engine said when no record arrived.
struct EngineExit {
  int exit_code = 0;
  bool oom_killed = false;
};

struct Observation {
  HostCause cause = HostCause::None;
  std::string cause_message;
  IeReason ie_reason = IeReason::None;  // with HostCause::InternalError
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
  IeReason ie_reason = IeReason::None;  // set when verdict is IE
};

Classification classify(const Observation& obs);

}  // namespace pyjudge::runner
