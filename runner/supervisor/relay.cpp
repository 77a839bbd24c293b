#include "runner/supervisor/relay.h"

#include <fcntl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <string_view>

#include "runner/supervisor/channel.h"

namespace pyjudge::supervisor {

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool make_pipe(Fd& r, Fd& w) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return false;
  r.reset(p[0]);
  w.reset(p[1]);
  return true;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

void drain_signals(int sigfd) {
  signalfd_siginfo si[8];
  while (::read(sigfd, si, sizeof si) > 0) {
  }
}

bool Relay::pump(char* buf, std::size_t size, bool& exceeded) {
  const ssize_t n = ::read(pipe.get(), buf, size);
  if (n == 0) {
    open = false;
    pipe.reset();
    return true;
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return true;
    open = false;
    pipe.reset();
    return true;
  }
  const std::int64_t room = cap + 1 - sent;
  const auto forward = static_cast<std::size_t>(std::min<std::int64_t>(n, std::max<std::int64_t>(room, 0)));
  if (forward > 0) {
    if (!write_frame(frame_type, std::string_view(buf, forward))) return false;
    sent += static_cast<std::int64_t>(forward);
  }
  if (sent > cap) exceeded = true;
  return true;
}

}  // namespace pyjudge::supervisor
