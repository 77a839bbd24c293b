#include "runner/job/verdict.h"

#include <array>
#include <cmath>
#include <csignal>
#include <cstring>
#include <optional>
#include <string>

#include <spdlog/fmt/fmt.h>

#include "runner/shared/protocol.h"

namespace pyjudge::runner {

namespace {

constexpr std::array<std::string_view, 6> kNames = {"OK", "TLE", "MLE", "OLE", "RE", "IE"};

// coreutils timeout exits 124 after its SIGTERM, 137 when it had to SIGKILL.
constexpr int kTimeoutTerm = 124;
constexpr int kTimeoutKill = 137;
// The supervisor's own failure (runner/supervisor/supervisor.cpp).
constexpr int kSupervisorFailed = 99;

std::string signal_name(int sig) {
  const char* d = ::sigabbrev_np(sig);
  return d ? std::string("SIG") + d : "signal " + std::to_string(sig);
}

// No honest run lasts longer than this under timeout: past it, the script
// must have kept timeout from acting (stopped or traced it).
constexpr double kOverrunSlackS = 0.5;

Classification ie(IeReason reason, std::string message) {
  Classification c{Verdict::IE, std::nullopt, std::nullopt, std::move(message)};
  c.ie_reason = reason;
  return c;
}

// Why the run ran out of time, if it did: the supervisor's causes, a run
// far past limit + grace, timeout's 124/137 at the limit, or any end after
// the limit (timeout ends every honest run by then; one that ended later,
// with any status, kept timeout from acting, its timer re-armed by signals
// the script sent it, say).
struct OutOfTime {
  int signal = SIGKILL;
  std::string what;
};
std::optional<OutOfTime> out_of_time(const SupervisorRecord& r, std::int64_t limit_ns, double limit_s, double grace_s) {
  if (r.cause == protocol::cause::kCpu) return OutOfTime{SIGKILL, "CPU time limit exceeded"};
  if (r.cause == protocol::cause::kDeadline) return OutOfTime{SIGKILL, "time limit exceeded (timeout was defeated)"};
  const auto overrun_ns = static_cast<std::int64_t>(std::llround((limit_s + grace_s + kOverrunSlackS) * 1e9));
  if (r.wall_ns >= overrun_ns) return OutOfTime{SIGKILL, "time limit exceeded (timeout was defeated)"};
  if (r.wall_ns < limit_ns) return std::nullopt;
  // timeout's SIGKILL goes to its whole process group, itself included, so
  // a script that ignored SIGTERM shows up as timeout killed by SIGKILL.
  if (r.rc == kTimeoutTerm) return OutOfTime{SIGTERM, "time limit exceeded"};
  if (r.rc == kTimeoutKill || r.signal == SIGKILL) return OutOfTime{SIGKILL, "time limit exceeded"};
  return OutOfTime{SIGKILL, "time limit exceeded (timeout was defeated)"};
}

// How a run that ended by itself within its time ended.
Classification from_exit(const SupervisorRecord& r) {
  const bool memory = r.oom_kills.value_or(0) > 0 || r.memory_cap_ns.has_value();
  if (r.signal) {
    if (memory) return {Verdict::MLE, std::nullopt, r.signal, "memory limit exceeded (killed by the OOM killer)"};
    return {Verdict::RE, std::nullopt, r.signal, "killed by " + signal_name(*r.signal)};
  }
  const int rc = r.rc.value_or(-1);
  if (rc != 0) {
    if (memory) return {Verdict::MLE, rc, std::nullopt, "memory limit exceeded (the run reached its memory cap)"};
    return {Verdict::RE, rc, std::nullopt, "exited with code " + std::to_string(rc)};
  }
  return {Verdict::OK, 0, std::nullopt, ""};
}

Classification from_record(const SupervisorRecord& r, double limit_s, double grace_s) {
  if (!r.error_kind.empty()) {
    const bool launch = r.error_kind == protocol::error_kind::kLaunch;
    return ie(launch ? IeReason::LaunchFailed : IeReason::SetupError,
              (launch ? "could not launch the script: " : "could not set up the run: ") + r.error);
  }
  if (r.cause == protocol::cause::kStdout || r.cause == protocol::cause::kStderr)
    return {Verdict::OLE, std::nullopt, SIGKILL, "output limit exceeded on " + r.cause};
  if (r.cause == protocol::cause::kMemory)
    return {Verdict::MLE, std::nullopt, SIGKILL, "memory limit exceeded (ended at its memory cap)"};
  const auto limit_ns = static_cast<std::int64_t>(std::llround(limit_s * 1e9));
  const auto late = out_of_time(r, limit_ns, limit_s, grace_s);
  if (!late) return from_exit(r);
  // The first cause wins: a run seen at its memory cap before it ran out of
  // time is MLE, whatever ended it afterwards.
  if (r.memory_cap_ns && *r.memory_cap_ns <= limit_ns)
    return {Verdict::MLE, std::nullopt, late->signal,
            fmt::format("memory limit exceeded (at its memory cap after {:.2f} s), then {}",
                        static_cast<double>(*r.memory_cap_ns) / 1e9, late->what)};
  return {Verdict::TLE, std::nullopt, late->signal, late->what};
}

// No record came: the container broke, and a broken container never
// produces a verdict for the script.
Classification from_engine(const EngineExit& e) {
  if (e.exit_code > 128 && e.exit_code < 128 + 65 && !e.oom_killed) {
    // The supervisor is PID 1, which the script cannot signal: someone
    // outside (an engine restart, `docker kill`) ended it.
    const int sig = e.exit_code - 128;
    return ie(IeReason::KilledExternally, "the container was killed from outside (" + signal_name(sig) + ")");
  }
  if (e.exit_code == kSupervisorFailed) return ie(IeReason::ConnectionLost, "the in-container supervisor failed");
  return ie(IeReason::ConnectionLost, "no report from the supervisor (container exit " + std::to_string(e.exit_code) +
                                          (e.oom_killed ? ", OOM-killed" : "") + ")");
}

}  // namespace

std::string_view to_string(IeReason r) {
  switch (r) {
    case IeReason::None:
      return "";
    case IeReason::EngineError:
      return "engine_error";
    case IeReason::InputError:
      return "input_error";
    case IeReason::SetupError:
      return "setup_error";
    case IeReason::LaunchFailed:
      return "launch_failed";
    case IeReason::KilledExternally:
      return "killed_externally";
    case IeReason::ConnectionLost:
      return "connection_lost";
    case IeReason::ProtocolError:
      return "protocol_error";
  }
  return "";
}

IeReason ie_reason_from_string(std::string_view s) {
  for (IeReason r : {IeReason::EngineError, IeReason::InputError, IeReason::SetupError, IeReason::LaunchFailed,
                     IeReason::KilledExternally, IeReason::ConnectionLost, IeReason::ProtocolError})
    if (to_string(r) == s) return r;
  return IeReason::None;
}

bool is_retryable(IeReason r) { return r != IeReason::InputError && r != IeReason::LaunchFailed; }

std::string_view to_string(Verdict v) { return kNames.at(static_cast<std::size_t>(v)); }

std::optional<Verdict> verdict_from_string(std::string_view s) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == s) return static_cast<Verdict>(i);
  return std::nullopt;
}

int status_of(Verdict v) {
  switch (v) {
    case Verdict::OK:
      return 0;
    case Verdict::TLE:
      return 124;
    default:
      return -1;
  }
}

Classification classify(const Observation& obs) {
  switch (obs.cause) {
    case HostCause::InternalError:
      return ie(obs.ie_reason == IeReason::None ? IeReason::EngineError : obs.ie_reason, obs.cause_message);
    case HostCause::Deadline:
      return {Verdict::TLE, std::nullopt, SIGKILL, "time limit exceeded (killed by the host watchdog)"};
    case HostCause::StdoutLimit:
    case HostCause::StderrLimit:
      return {Verdict::OLE, std::nullopt, SIGKILL, obs.cause_message};
    case HostCause::None:
      break;
  }
  if (obs.record) return from_record(*obs.record, obs.wall_limit_s, obs.kill_grace_s);
  if (obs.engine_exit) return from_engine(*obs.engine_exit);
  return ie(IeReason::ConnectionLost, "the job ended with no report and no exit status");
}

}  // namespace pyjudge::runner
