#include "runner/supervisor/zygote_client.h"

#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "runner/supervisor/launch.h"

namespace pyjudge::supervisor {

namespace {

constexpr int kSupervisorFd = kSecretPipeFd;
constexpr int kPassedOn[] = {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGALRM};

// One message from the supervisor (blocking), or "" when it is gone.
std::string receive() {
  char buf[128];
  for (;;) {
    const ssize_t n = ::recv(kSupervisorFd, buf, sizeof buf - 1, 0);
    if (n < 0 && errno == EINTR) continue;
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }
}

// Ends this process as the run ended: its exit code, or its signal.
[[noreturn]] void end_like(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    (void)std::signal(sig, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, sig);
    (void)::pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    (void)::raise(sig);
    ::_exit(128 + sig);  // a signal that does not end a process
  }
  ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

}  // namespace

int zygote_client_main(int argc, char** argv) {
  if (argc != 4) return 127;
  // The run's process has this uid: nothing of this process (the nonce, the
  // error pipe, the socket) is for it to read through /proc.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return 127;
  const std::string nonce = receive();
  if (nonce.empty()) return 127;
  // The signals timeout catches and passes on to its process group, where
  // the run gets them itself: the client, which only stands for the run,
  // must not die of them first.
  for (const int sig : kPassedOn)
    if (std::signal(sig, SIG_IGN) == SIG_ERR) return 127;
  const std::string go = "go " + std::to_string(::getpgrp());
  if (::send(kSupervisorFd, go.data(), go.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(go.size())) {
    report_launch_error(kErrorPipeFd, nonce.c_str(), "zygote", errno);
    return 127;
  }
  const std::string reply = receive();
  if (reply == "exec") {
    for (const int sig : kPassedOn) (void)std::signal(sig, SIG_DFL);
    ::close(kSupervisorFd);
    // python3's own /proc/self is its to write (oom_score_adj), as after exec.
    (void)::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    exec_script(std::strtoll(argv[2], nullptr, 10), argv[3], nonce.c_str());
  }
  const char* digits = reply.c_str() + 5;
  char* end = nullptr;
  const long status = reply.rfind("exit ", 0) == 0 ? std::strtol(digits, &end, 10) : -1;
  if (end == digits || end == nullptr || *end != '\0' || status < 0 || status > 0xffff) {
    report_launch_error(kErrorPipeFd, nonce.c_str(), "zygote", EPIPE);
    return 127;
  }
  end_like(static_cast<int>(status));
}

}  // namespace pyjudge::supervisor
