// Starting a run's processes: the supervisor's child becomes coreutils
// `timeout`, whose child is the supervisor binary again in launcher mode,
// which becomes python3 (or, in a container with a zygote, in zygote-client
// mode: zygote_client.h). A failed exec at either step is reported on an
// O_CLOEXEC error pipe, signed with the run's nonce, so "could not start" is
// never confused with the script's own exit code 126 or 127.
#pragma once

#include <cstdint>
#include <string>

namespace pyjudge::supervisor {

// The fds the chain uses while it starts; closed (CLOEXEC) once python3 runs.
inline constexpr int kErrorPipeFd = 3;   // write end: "NONCE WHAT ERRNO\n" on a failed exec
inline constexpr int kSecretPipeFd = 4;  // read end: the nonce, for the launcher to sign with
// (a zygote client's socket to the supervisor instead: the nonce is its first message)

struct LaunchPlan {
  std::string nonce;
  std::string entry;
  std::int64_t wall_limit_ns = 0;
  std::int64_t kill_grace_ns = 0;
  std::int64_t cpu_limit_ns = 0;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1, error_pipe = -1, secret_pipe = -1;
  bool zygote = false;  // timeout's child is a zygote client, secret_pipe its socket
};

// In the forked child: never returns.
[[noreturn]] void exec_timeout(const LaunchPlan& plan);

// argv: supervisor --launch CPU_LIMIT_NS ENTRY. Never returns on success.
int launcher_main(int argc, char** argv);

// The launcher's last step: RLIMIT_CPU as the backstop of `cpu_ns`,
// then python3 ENTRY; a failed exec is reported on kErrorPipeFd, signed.
[[noreturn]] void exec_script(long long cpu_ns, const char* entry, const char* nonce);

// Writes "NONCE WHAT ERRNO\n" to fd (launch_error reads it).
void report_launch_error(int fd, const char* nonce, const char* what, int err);

// "NONCE WHAT ERRNO" lines read from the error pipe: the first one signed
// with `nonce`, as "cannot execute WHAT: strerror", or "".
std::string launch_error(const std::string& pipe_text, const std::string& nonce);

}  // namespace pyjudge::supervisor
