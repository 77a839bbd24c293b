#include "runner/supervisor/zygote_launch.h"

#include <fcntl.h>

#include <sys/socket.h>
#include <cerrno>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "runner/supervisor/fd_passing.h"

namespace pyjudge::supervisor {

bool ZygoteLaunch::prepare(int in, int out, int err, Fd& client_end) {
  int s[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s) != 0) return false;
  client_.reset(s[0]);
  client_end.reset(s[1]);
  const int src[3] = {in, out, err};
  for (int i = 0; i < 3; ++i) {
    fds_[i].reset(::fcntl(src[i], F_DUPFD_CLOEXEC, 3));
    if (!fds_[i]) return false;
  }
  return send_message(client_.get(), h_.nonce);
}

void ZygoteLaunch::tell_client(const std::string& msg) {
  if (client_) send_message(client_.get(), msg);
}

void ZygoteLaunch::close_fds() {
  for (Fd& f : fds_) f.reset();
}

void ZygoteLaunch::on_client() {
  char buf[64];
  const ssize_t n = recv_message(client_.get(), buf, sizeof buf - 1);
  if (n <= 0) {
    if (n == 0) client_.reset();
    return;
  }
  const std::string_view msg(buf, static_cast<std::size_t>(n));
  long long pgid = 0;
  if (asked_ || !msg.starts_with("go ")) return;
  const auto r = std::from_chars(msg.data() + 3, msg.data() + msg.size(), pgid);
  if (r.ec != std::errc() || r.ptr != msg.data() + msg.size() || pgid <= 1) return;
  asked_ = zygote_.usable(10'000) && zygote_.request(static_cast<pid_t>(pgid), h_.cpu_limit_ns, h_.entry, fds_[0].get(),
                                                     fds_[1].get(), fds_[2].get());
  close_fds();
  if (!asked_) tell_client("exec");
}

bool ZygoteLaunch::on_zygote(std::int64_t& peak_kib, std::int64_t& cpu_ns) {
  const Zygote::Event e = zygote_.next();
  switch (e.kind) {
    case Zygote::Event::Kind::None:
      return true;
    case Zygote::Event::Kind::Pid:
      run_pid_ = e.pid;
      return true;
    case Zygote::Event::Kind::Exit:
      exited_ = true;
      peak_kib = std::max(peak_kib, e.maxrss_kib);
      cpu_ns += e.cpu_ns;
      tell_client("exit " + std::to_string(e.status));
      return true;
    case Zygote::Event::Kind::Fail:
      exited_ = true;
      setup_errno_ = e.status > 0 ? e.status : EIO;
      tell_client("exit " + std::to_string(127 << 8));
      return true;
    case Zygote::Event::Kind::Gone:
      return run_pid_ > 0;  // else nobody can say what became of the run
  }
  return true;
}

void ZygoteLaunch::on_reaped(pid_t p, int status) {
  if (p != run_pid_ || exited_) return;
  exited_ = true;
  tell_client("exit " + std::to_string(status));
}

bool ZygoteLaunch::settle() {
  close_fds();
  client_.reset();
  if (outstanding()) zygote_.give_up();
  return !outstanding();
}

}  // namespace pyjudge::supervisor
