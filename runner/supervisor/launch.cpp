#include "runner/supervisor/launch.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "runner/shared/errno_text.h"
#include "runner/shared/protocol.h"

namespace pyjudge::supervisor {

void report_launch_error(int fd, const char* nonce, const char* what, int err) {
  char line[160];
  const int n = std::snprintf(line, sizeof line, "%s %s %d\n", nonce, what, err);
  if (n > 0) (void)!::write(fd, line, static_cast<std::size_t>(n));
}

namespace {

// "S.NNNNNNNNNs": exact, whatever the limit (a "%g" would round it).
std::string seconds_arg(std::int64_t ns) {
  const std::string fraction = std::to_string(ns % 1'000'000'000);
  return std::to_string(ns / 1'000'000'000) + "." + std::string(9 - fraction.size(), '0') + fraction + "s";
}

// exec keeps blocked signals blocked and ignored ones ignored: the script
// gets the defaults.
bool restore_signal_defaults() {
  sigset_t none;
  sigemptyset(&none);
  return ::pthread_sigmask(SIG_SETMASK, &none, nullptr) == 0 && std::signal(SIGPIPE, SIG_DFL) != SIG_ERR &&
         std::signal(SIGXFSZ, SIG_DFL) != SIG_ERR;
}

// execvp's argv is `char* const[]` for C's sake; it never writes to the strings.
[[noreturn]] void exec_or_report(const char* const* argv, const char* nonce) {
  ::execvp(argv[0], const_cast<char* const*>(argv));  // NOLINT(cppcoreguidelines-pro-type-const-cast): see above
  report_launch_error(kErrorPipeFd, nonce, argv[0], errno);
  ::_exit(127);
}

}  // namespace

void exec_timeout(const LaunchPlan& plan) {
  if (!restore_signal_defaults()) {
    report_launch_error(plan.error_pipe, plan.nonce.c_str(), "setup", errno);
    ::_exit(127);
  }
  // Park every fd above the targets first, so that dup2 cannot clobber one
  // it still needs; dup2 then clears CLOEXEC on the targets only.
  const int src[5] = {plan.stdin_fd, plan.stdout_fd, plan.stderr_fd, plan.error_pipe, plan.secret_pipe};
  int parked[5];
  for (int i = 0; i < 5; ++i) parked[i] = ::fcntl(src[i], F_DUPFD_CLOEXEC, 10);
  for (int i = 0; i < 5; ++i) {
    if (parked[i] < 0 || ::dup2(parked[i], i) < 0) {
      report_launch_error(parked[3] >= 0 ? parked[3] : plan.error_pipe, plan.nonce.c_str(), "setup", errno);
      ::_exit(127);
    }
  }
  ::close_range(5, ~0U, 0);
  const std::string wall = seconds_arg(plan.wall_limit_ns);
  // A zero grace would turn timeout's SIGKILL off altogether.
  const std::string grace = seconds_arg(plan.kill_grace_ns > 10'000'000 ? plan.kill_grace_ns : 10'000'000);
  const std::string cpu = std::to_string(plan.cpu_limit_ns);
  const char* argv[] = {"timeout",
                        "-s",
                        "TERM",
                        "-k",
                        grace.c_str(),
                        wall.c_str(),
                        pyjudge::protocol::kSupervisorPath,
                        plan.zygote ? "--zygote-client" : "--launch",
                        cpu.c_str(),
                        plan.entry.c_str(),
                        nullptr};
  exec_or_report(argv, plan.nonce.c_str());
}

int launcher_main(int argc, char** argv) {
  if (argc != 4) return 127;
  char secret[80];
  std::size_t len = 0;
  for (;;) {
    const ssize_t n = ::read(kSecretPipeFd, secret + len, sizeof secret - 1 - len);
    if (n > 0)
      len += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR)
      continue;
    else
      break;
    if (len == sizeof secret - 1) break;
  }
  secret[len] = '\0';
  ::close(kSecretPipeFd);
  exec_script(std::strtoll(argv[2], nullptr, 10), argv[3], secret);
}

void exec_script(long long cpu_ns, const char* entry, const char* nonce) {
  // The OOM killer takes the script before the supervisor. (Here, not
  // before timeout's exec: a fork of PID 1 is not dumpable, and its
  // /proc/self files are not its own to write.)
  const int adj = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (adj >= 0) {
    (void)!::write(adj, "1000", 4);
    ::close(adj);
  }
  if (cpu_ns > 0) {
    // A backstop only: the supervisor checks the cgroup's CPU time every
    // 20 ms and ends the run itself. RLIMIT_CPU counts whole seconds.
    const auto soft = static_cast<rlim_t>(cpu_ns / 1'000'000'000 + 2);
    const rlimit rl{soft, soft + 1};
    ::setrlimit(RLIMIT_CPU, &rl);
  }
  ::fcntl(kErrorPipeFd, F_SETFD, FD_CLOEXEC);
  const char* args[] = {"python3", entry, nullptr};
  exec_or_report(args, nonce);
}

std::string launch_error(const std::string& pipe_text, const std::string& nonce) {
  std::size_t pos = 0;
  while (pos < pipe_text.size()) {
    std::size_t end = pipe_text.find('\n', pos);
    if (end == std::string::npos) end = pipe_text.size();
    const std::string line = pipe_text.substr(pos, end - pos);
    pos = end + 1;
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 == std::string::npos ? sp1 : sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos || line.substr(0, sp1) != nonce) continue;
    const std::string what = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (what != "timeout" && what != "python3" && what != "setup" && what != "zygote") continue;
    const char* digits = line.c_str() + sp2 + 1;
    char* digits_end = nullptr;
    const long err = std::strtol(digits, &digits_end, 10);
    if (digits_end == digits || *digits_end != '\0' || err < 0 || err > INT_MAX) continue;
    return "cannot execute " + what + ": " + pyjudge::errno_text(static_cast<int>(err));
  }
  return "";
}

}  // namespace pyjudge::supervisor
