#include "runner/supervisor/zygote.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "runner/shared/protocol.h"
#include "runner/supervisor/child_setup.h"
#include "runner/supervisor/fd_passing.h"

namespace pyjudge::supervisor {

namespace {

// `count` non-negative decimal numbers separated by single spaces, and
// nothing else.
bool parse_numbers(std::string_view text, std::int64_t* out, int count) {
  for (int i = 0; i < count; ++i) {
    if (i > 0) {
      if (text.empty() || text[0] != ' ') return false;
      text.remove_prefix(1);
    }
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out[i]);
    if (r.ec != std::errc() || out[i] < 0) return false;
    text.remove_prefix(static_cast<std::size_t>(r.ptr - text.data()));
  }
  return text.empty();
}

}  // namespace

bool Zygote::start() {
  int s[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s) != 0) return false;
  sock_.reset(s[0]);
  const pyjudge::UniqueFd child_end(s[1]);
  pid_ = ::fork();
  if (pid_ < 0) {
    sock_.reset();
    return false;
  }
  if (pid_ == 0) {
    // The container's environment and python3 without options: the zygote
    // starts as a script run's interpreter starts.
    if (!child_fds(-1, -1, child_end.get())) ::_exit(127);
    const char* argv[] = {"python3", pyjudge::protocol::kZygoteScript, nullptr};
    ::execvp(argv[0], const_cast<char* const*>(argv));  // NOLINT(cppcoreguidelines-pro-type-const-cast): not written
    ::_exit(127);
  }
  return true;
}

bool Zygote::usable(int wait_ms) {
  if (!sock_) return false;
  if (ready_) return true;
  pollfd p{sock_.get(), POLLIN, 0};
  char buf[64];
  if (::poll(&p, 1, wait_ms) <= 0) {
    give_up();
    return false;
  }
  const ssize_t n = recv_message(sock_.get(), buf, sizeof buf);
  ready_ = n == 5 && std::memcmp(buf, "ready", 5) == 0;
  if (!ready_) give_up();
  return ready_;
}

bool Zygote::request(pid_t pgid, std::int64_t cpu_limit_ns, const std::string& entry, int in, int out, int err) {
  if (!sock_ || pid_ <= 0) return false;
  const std::string msg = "run " + std::to_string(pgid) + " " + std::to_string(cpu_limit_ns) + " " + entry;
  if (send_message_fds(sock_.get(), msg, {in, out, err})) return true;
  give_up();
  return false;
}

Zygote::Event Zygote::next() {
  Event e;
  if (!sock_) return e;
  char buf[256];
  const ssize_t n = recv_message(sock_.get(), buf, sizeof buf - 1);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return e;
  buf[n > 0 ? n : 0] = '\0';
  const std::string_view msg(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  std::int64_t v[3] = {};
  if (msg.starts_with("pid ") && parse_numbers(msg.substr(4), v, 1) && v[0] > 1) {
    e.kind = Event::Kind::Pid;
    e.pid = static_cast<pid_t>(v[0]);
  } else if (msg.starts_with("exit ") && parse_numbers(msg.substr(5), v, 3) && v[0] <= 0xffff) {
    e.kind = Event::Kind::Exit;
    e.status = static_cast<int>(v[0]);
    e.maxrss_kib = v[1];
    e.cpu_ns = v[2];
  } else if (msg.starts_with("fail ") && parse_numbers(msg.substr(5), v, 1) && v[0] <= 4095) {
    e.kind = Event::Kind::Fail;
    e.status = static_cast<int>(v[0]);
  } else {
    e.kind = Event::Kind::Gone;
    give_up();
  }
  return e;
}

bool Zygote::readable(int ms) const {
  if (!sock_) return false;
  pollfd p{sock_.get(), POLLIN, 0};
  return ::poll(&p, 1, ms) > 0;
}

}  // namespace pyjudge::supervisor
