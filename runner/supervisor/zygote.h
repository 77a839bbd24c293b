// The zygote of a warm script container, seen from PID 1: a python3 started
// as root at the container's start (images/python/harness/zygote.py) that
// forks one process per run. The supervisor asks it for a run over the
// ZYGOTE socket (SOCK_SEQPACKET), passing the run's stdio and error pipe,
// and it answers with the run's pid and, when the run has ended, its wait
// status. A run's process cannot reach it (another uid); if it ends anyway,
// the remaining runs are exec'd as without it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>

#include "runner/shared/unique_fd.h"

namespace pyjudge::supervisor {

class Zygote {
 public:
  Zygote() = default;
  // A zygote already running behind `sock` (tests: the other end is theirs).
  Zygote(pyjudge::UniqueFd sock, pid_t pid) : sock_(std::move(sock)), pid_(pid), ready_(true) {}
  // Forks and execs the zygote as this process's uid (root), fd 3 its socket.
  // False when it could not be started.
  bool start();

  // Whether runs can be asked of it: started, ready (waited for up to
  // `wait_ms` the first time), not given up.
  bool usable(int wait_ms);
  int fd() const { return sock_.get(); }
  pid_t pid() const { return pid_; }
  // Its process is still there (not reaped).
  bool alive() const { return pid_ > 0; }

  // One run: the zygote forks a process that joins process group `pgid` and
  // takes fds 0-2 from in/out/err. The zygote never sees the run's nonce or
  // error pipe: a fork's heap is the run's to read. False when the request
  // could not be sent.
  bool request(pid_t pgid, std::int64_t cpu_limit_ns, const std::string& entry, int in, int out, int err);

  struct Event {
    enum class Kind { None, Pid, Exit, Fail, Gone } kind = Kind::None;
    pid_t pid = -1;
    int status = 0;               // Exit: the run's wait status; Fail: the setup's errno
    std::int64_t maxrss_kib = 0;  // Exit: its peak resident set
    std::int64_t cpu_ns = 0;      // Exit: its CPU time (and its reaped children's)
  };
  // The next message, without blocking (Kind::None: nothing yet). Gone: the
  // socket closed or the zygote broke the protocol; it is given up.
  Event next();
  // Whether a message arrives within `ms`.
  bool readable(int ms) const;

  // No further run goes to it: its socket closes and the zygote exits.
  void give_up() { sock_.reset(); }
  // SIGCHLD's reaping found its process gone. What it sent before it ended
  // is still read from its socket, up to the EOF (Gone).
  void reaped() { pid_ = -1; }

 private:
  pyjudge::UniqueFd sock_;
  pid_t pid_ = -1;
  bool ready_ = false;
};

}  // namespace pyjudge::supervisor
