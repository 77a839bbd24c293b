// The plumbing of one run: pipes, the set of fds a wait watches, and the
// relays that forward the script's output to the host, capped.
#pragma once

#include <poll.h>

#include <cstddef>
#include <cstdint>

#include "runner/shared/unique_fd.h"

namespace pyjudge::supervisor {

using Fd = pyjudge::UniqueFd;  // the supervisor's ends of a run's pipes

std::int64_t now_ns();
bool make_pipe(Fd& r, Fd& w);
void set_nonblocking(int fd);
// Empties the SIGCHLD signalfd; the children it announced are reaped apart.
void drain_signals(int sigfd);

// The fds one wait of Run::loop watches, and where each one sits in the set
// (-1: not watched this time).
struct PollSet {
  pollfd fds[7] = {};
  int n = 0;
  int sig = -1;
  int out = -1;
  int err = -1;
  int in = -1;      // the host's frames
  int child = -1;   // the script's stdin, while input waits for it
  int client = -1;  // a zygote client's socket
  int zygote = -1;  // the zygote's, while it holds the run

  int add(int fd, short events) {
    fds[n] = {fd, events, 0};
    return n++;
  }
  bool ready(int i) const { return i >= 0 && fds[i].revents != 0; }
};

// One of the script's output streams, relayed up to its cap + 1 bytes.
struct Relay {
  Fd pipe;
  char frame_type;
  std::int64_t cap;
  std::int64_t sent = 0;
  bool open = true;
  const char* cause;

  // Reads once; false when the host is gone. `exceeded` is set past the cap.
  bool pump(char* buf, std::size_t size, bool& exceeded);
};

}  // namespace pyjudge::supervisor
