#include "verdict.h"

#include <array>
#include <cmath>
#include <csignal>
#include <cstring>

namespace pyjudge {

namespace {

constexpr std::array<std::string_view, 6> kNames = {"OK", "TLE", "MLE", "OLE", "RE", "IE"};

// coreutils timeout exits 124 after its SIGTERM, 137 when it had to SIGKILL.
constexpr int kTimeoutTerm = 124;
constexpr int kTimeoutKill = 137;
// supervise.py's own failure.
constexpr int kSupervisorFailed = 99;

std::string signal_name(int sig) {
  const char* d = ::sigabbrev_np(sig);
  return d ? std::string("SIG") + d : "signal " + std::to_string(sig);
}

// No honest run lasts longer than this under timeout: past it, the script
// must have kept timeout from acting (stopped or traced it).
constexpr double kOverrunSlackS = 0.5;

Classification from_record(const SupervisorRecord& r, double limit_s, double grace_s) {
  const bool oom = r.oom_kills.value_or(0) > 0;
  const auto limit_ns = static_cast<std::int64_t>(std::llround(limit_s * 1e9));
  const auto overrun_ns = static_cast<std::int64_t>(std::llround((limit_s + grace_s + kOverrunSlackS) * 1e9));
  if (r.wall_ns >= overrun_ns) return {Verdict::TLE, std::nullopt, SIGKILL, "time limit exceeded (timeout was defeated)"};
  // timeout's SIGKILL goes to its whole process group, itself included, so
  // a script that ignored SIGTERM shows up as timeout killed by SIGKILL.
  const bool timeout_term = r.rc == kTimeoutTerm;
  const bool timeout_kill = r.rc == kTimeoutKill || r.signal == SIGKILL;
  if ((timeout_term || timeout_kill) && r.wall_ns >= limit_ns) {
    return {Verdict::TLE, std::nullopt, timeout_term ? SIGTERM : SIGKILL, "time limit exceeded"};
  }
  if (r.signal) {
    if (oom) return {Verdict::MLE, std::nullopt, r.signal, "memory limit exceeded (killed by the OOM killer)"};
    return {Verdict::RE, std::nullopt, r.signal, "killed by " + signal_name(*r.signal)};
  }
  const int rc = r.rc.value_or(-1);
  if (rc != 0) {
    if (oom) return {Verdict::MLE, rc, std::nullopt, "memory limit exceeded (a process was OOM-killed)"};
    return {Verdict::RE, rc, std::nullopt, "exited with code " + std::to_string(rc)};
  }
  return {Verdict::OK, 0, std::nullopt, ""};
}

Classification from_engine(const EngineExit& e) {
  if (e.oom_killed) return {Verdict::MLE, std::nullopt, SIGKILL, "memory limit exceeded (engine reports OOM)"};
  if (e.exit_code > 128 && e.exit_code < 128 + 65) {
    // The supervisor is PID 1, which the script cannot signal, and the OOM
    // killer would have set OOMKilled: someone outside (an engine restart,
    // `docker kill`) ended it. Not the script's failure.
    const int sig = e.exit_code - 128;
    return {Verdict::IE, std::nullopt, std::nullopt,
            "the container was killed from outside (" + signal_name(sig) + ")"};
  }
  if (e.exit_code == kSupervisorFailed) return {Verdict::IE, std::nullopt, std::nullopt, "the in-container supervisor failed"};
  return {Verdict::IE, std::nullopt, std::nullopt,
          "no report from the supervisor (container exit " + std::to_string(e.exit_code) + ")"};
}

}  // namespace

std::string_view to_string(Verdict v) { return kNames.at(static_cast<std::size_t>(v)); }

std::optional<Verdict> verdict_from_string(std::string_view s) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == s) return static_cast<Verdict>(i);
  return std::nullopt;
}

int status_of(Verdict v) {
  switch (v) {
    case Verdict::OK: return 0;
    case Verdict::TLE: return 124;
    default: return -1;
  }
}

Classification classify(const Observation& obs) {
  switch (obs.cause) {
    case HostCause::InternalError: return {Verdict::IE, std::nullopt, std::nullopt, obs.cause_message};
    case HostCause::Deadline:
      return {Verdict::TLE, std::nullopt, SIGKILL, "time limit exceeded (killed by the host watchdog)"};
    case HostCause::StdoutLimit:
    case HostCause::StderrLimit: return {Verdict::OLE, std::nullopt, SIGKILL, obs.cause_message};
    case HostCause::None: break;
  }
  if (obs.record) return from_record(*obs.record, obs.wall_limit_s, obs.kill_grace_s);
  if (obs.engine_exit) return from_engine(*obs.engine_exit);
  return {Verdict::IE, std::nullopt, std::nullopt, "the job ended with no report and no exit status"};
}

}  // namespace pyjudge
