#include "run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>

#include "cgroup.h"
#include "launch.h"
#include "record.h"
#include "unique_fd.h"
#include "workdir.h"

namespace supervisor {

namespace {

namespace proto = pyjudge::protocol;

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

using Fd = pyjudge::UniqueFd;  // the supervisor's ends of a run's pipes

bool make_pipe(Fd& r, Fd& w) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return false;
  r.reset(p[0]);
  w.reset(p[1]);
  return true;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// One of the script's output streams, relayed up to its cap + 1 bytes.
struct Relay {
  Fd pipe;
  char frame_type;
  std::int64_t cap;
  std::int64_t sent = 0;
  bool open = true;
  const char* cause;

  // Reads once; false when the host is gone. `exceeded` is set past the cap.
  bool pump(char* buf, std::size_t size, bool& exceeded) {
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
};

class Run {
 public:
  Run(InChannel& in, const proto::RunHeader& h, int sigfd) : in_(in), h_(h), sigfd_(sigfd) {}

  bool go(const std::string& setup_error) {
    if (!setup_error.empty()) {
      error_kind_ = proto::error_kind::kSetup;
      error_ = setup_error;
    } else if (!start()) {
      error_kind_ = proto::error_kind::kSetup;
      if (error_.empty()) error_ = "cannot start the run (pipes or fork failed)";
    } else {
      if (!loop()) return false;
      finish();
    }
    reset_state();
    if (!write_frame(proto::from_supervisor::kRecord, record())) return false;
    return drain_input();
  }

 private:
  bool start() {
    Fd in_r, out_w, err_w, secret_w, secret_r;
    if (!make_pipe(in_r, stdin_w_) || !make_pipe(out_.pipe, out_w) || !make_pipe(err_.pipe, err_w) ||
        !make_pipe(error_r_, error_w_) || !make_pipe(secret_r, secret_w))
      return false;
    for (int fd : {stdin_w_.get(), out_.pipe.get(), err_.pipe.get(), error_r_.get()}) set_nonblocking(fd);
    // The nonce is in the pipe before the script can exist; the launcher
    // drains it, so nothing is left there for the script to find.
    if (::write(secret_w.get(), h_.nonce.data(), h_.nonce.size()) != static_cast<ssize_t>(h_.nonce.size()))
      return false;
    secret_w.reset();
    before_ = read_cgroup();
    LaunchPlan plan{h_.nonce,   h_.entry,    h_.wall_limit_ns, h_.kill_grace_ns, h_.cpu_limit_ns,
                    in_r.get(), out_w.get(), err_w.get(),      error_w_.get(),   secret_r.get()};
    t0_ = now_ns();
    pid_ = ::fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) exec_timeout(plan);
    error_w_.reset();
    return true;
  }

  void set_cause(const char* c) {
    if (cause_[0] == '\0') cause_ = c;
    ::kill(-1, SIGKILL);  // everyone but PID 1
  }

  void account(const rusage& ru) {
    cpu_ns_ += (static_cast<std::int64_t>(ru.ru_utime.tv_sec) + ru.ru_stime.tv_sec) * 1'000'000'000 +
               (static_cast<std::int64_t>(ru.ru_utime.tv_usec) + ru.ru_stime.tv_usec) * 1000;
    peak_kib_ = std::max<std::int64_t>(peak_kib_, ru.ru_maxrss);
  }

  void reaped(pid_t p, int st, const rusage& ru) {
    account(ru);
    if (p == pid_) {
      status_ = st;
      done_ = true;
      wall_ns_ = now_ns() - t0_;
    }
  }

  // Whatever has already exited.
  void reap_exited() {
    for (;;) {
      int st = 0;
      rusage ru{};
      const pid_t p = ::wait4(-1, &st, WNOHANG, &ru);
      if (p < 0 && errno == EINTR) continue;
      if (p <= 0) return;
      reaped(p, st, ru);
    }
  }

  // Everyone but PID 1, until no child is left (killing again before each
  // wait catches anything forked while the first kill went round).
  void kill_and_reap_all() {
    for (;;) {
      ::kill(-1, SIGKILL);
      int st = 0;
      rusage ru{};
      const pid_t p = ::wait4(-1, &st, 0, &ru);
      if (p > 0)
        reaped(p, st, ru);
      else if (errno != EINTR)
        return;
    }
  }

  void drain_sigfd() {
    signalfd_siginfo si[8];
    while (::read(sigfd_, si, sizeof si) > 0) {
    }
  }

  // Until timeout has ended: relay, watch the clock and the CPU time.
  bool loop() {
    const std::int64_t grace = std::max<std::int64_t>(h_.kill_grace_ns, 10'000'000);
    const std::int64_t deadline = t0_ + h_.wall_limit_ns + grace + 250'000'000;
    std::int64_t next_cpu_check = t0_;
    char buf[16384];
    while (!done_) {
      while (!input_ended_ && pending_.empty() && in_.buffered())
        if (!read_input()) return false;
      if (stdin_w_ && !pending_.empty()) feed_child();
      const std::int64_t now = now_ns();
      if (now >= deadline) set_cause(proto::cause::kDeadline);
      if (h_.cpu_limit_ns > 0 && now >= next_cpu_check) {
        const auto cpu = read_cgroup_cpu_ns();
        if (cpu && before_.cpu_ns && *cpu - *before_.cpu_ns >= h_.cpu_limit_ns) set_cause(proto::cause::kCpu);
        next_cpu_check = now + 20'000'000;
      }
      pollfd p[5];
      int n = 0;
      const int i_sig = n;
      p[n++] = {sigfd_, POLLIN, 0};
      const int i_out = out_.open ? n : -1;
      if (out_.open) p[n++] = {out_.pipe.get(), POLLIN, 0};
      const int i_err = err_.open ? n : -1;
      if (err_.open) p[n++] = {err_.pipe.get(), POLLIN, 0};
      int i_in = -1, i_child = -1;
      if (!input_ended_ && pending_.empty()) {
        i_in = n;
        p[n++] = {0, POLLIN, 0};
      }
      if (stdin_w_ && !pending_.empty()) {
        i_child = n;
        p[n++] = {stdin_w_.get(), POLLOUT, 0};
      }
      std::int64_t wait_ns = deadline - now;
      if (h_.cpu_limit_ns > 0) wait_ns = std::min(wait_ns, next_cpu_check - now);
      int wait_ms = static_cast<int>(std::clamp<std::int64_t>(wait_ns / 1'000'000 + 1, 0, 1000));
      if (!input_ended_ && pending_.empty() && in_.buffered()) wait_ms = 0;  // a frame is already here
      if (::poll(p, static_cast<nfds_t>(n), wait_ms) < 0 && errno != EINTR) return false;
      if (p[i_sig].revents) {
        drain_sigfd();
        reap_exited();
      }
      bool exceeded = false;
      if (i_out >= 0 && p[i_out].revents) {
        if (!out_.pump(buf, sizeof buf, exceeded)) return false;
        if (exceeded) set_cause(out_.cause);
      }
      exceeded = false;
      if (i_err >= 0 && p[i_err].revents) {
        if (!err_.pump(buf, sizeof buf, exceeded)) return false;
        if (exceeded) set_cause(err_.cause);
      }
      if (i_in >= 0 && p[i_in].revents && !read_input()) return false;
      if (i_child >= 0 && p[i_child].revents) feed_child();
    }
    return true;
  }

  // One buffered frame of input at a time: the script's reading paces the host.
  bool read_input() {
    char type = 0;
    std::string_view payload;
    switch (in_.try_next(type, payload)) {
      case InChannel::Try::NeedMore:
        return true;
      case InChannel::Try::Eof:
      case InChannel::Try::Error:
        return false;
      case InChannel::Try::Frame:
        break;
    }
    if (type == proto::to_supervisor::kInputEnd) {
      input_ended_ = true;
      if (pending_.empty()) stdin_w_.reset();
      return true;
    }
    if (type != proto::to_supervisor::kInput) return false;
    if (stdin_w_) pending_.assign(payload);
    return true;
  }

  void feed_child() {
    const ssize_t w = ::write(stdin_w_.get(), pending_.data(), pending_.size());
    if (w > 0) {
      pending_.erase(0, static_cast<std::size_t>(w));
    } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
      // The script closed its stdin (or ended): the rest is not wanted.
      pending_.clear();
      stdin_w_.reset();
    }
    if (pending_.empty() && input_ended_) stdin_w_.reset();
  }

  // timeout has ended: kill what it left, reap everything, take the last output.
  void finish() {
    kill_and_reap_all();
    drain_sigfd();
    stdin_w_.reset();
    char buf[16384];
    for (Relay* r : {&out_, &err_}) {
      bool exceeded = false;
      while (r->open) {
        if (!r->pump(buf, sizeof buf, exceeded)) return;
        if (exceeded) {
          if (cause_[0] == '\0') cause_ = r->cause;
          break;
        }
      }
    }
    if (h_.cpu_limit_ns > 0 && cpu_ns_ >= h_.cpu_limit_ns && cause_[0] == '\0') cause_ = proto::cause::kCpu;
    char text[512];
    const ssize_t n = ::read(error_r_.get(), text, sizeof text - 1);
    text[n > 0 ? n : 0] = '\0';
    const std::string launch = launch_error(text, h_.nonce);
    if (!launch.empty()) {
      error_kind_ = proto::error_kind::kLaunch;
      error_ = launch;
    }
  }

  // Whatever the run left, the next run must not see.
  void reset_state() {
    kill_and_reap_all();
    drain_sigfd();
    after_ = read_cgroup();
    out_.pipe.reset();
    err_.pipe.reset();
    error_r_.reset();
    reusable_ = empty_directory("/tmp") & empty_directory("/dev/shm");
    remove_sysv_ipc();
  }

  std::string record() const {
    RunRecord r;
    const bool ran = pid_ > 0 && done_;
    if (ran && WIFEXITED(status_)) r.rc = WEXITSTATUS(status_);
    if (ran && WIFSIGNALED(status_)) r.signal = WTERMSIG(status_);
    r.wall_ns = wall_ns_;
    if (ran) {
      r.cpu_ns = cpu_ns_;
      r.memory_peak = peak_kib_ * 1024;
    }
    if (before_.oom_kills && after_.oom_kills) r.oom_kills = *after_.oom_kills - *before_.oom_kills;
    r.cause = cause_;
    r.error_kind = error_kind_;
    r.error = error_;
    r.cgroup = after_.version;
    r.reusable = reusable_;
    return format_record(h_.nonce, r);
  }

  // The host may still be sending this run's input: read up to its end.
  bool drain_input() {
    while (!input_ended_) {
      char type = 0;
      std::string_view payload;
      if (in_.next(type, payload) != InChannel::Got::Frame) return false;
      if (type == proto::to_supervisor::kInputEnd)
        input_ended_ = true;
      else if (type != proto::to_supervisor::kInput)
        return false;
    }
    return true;
  }

  InChannel& in_;
  const proto::RunHeader& h_;
  int sigfd_;
  Fd stdin_w_, error_r_, error_w_;
  Relay out_{Fd(), proto::from_supervisor::kStdout, h_.stdout_cap, 0, true, proto::cause::kStdout};
  Relay err_{Fd(), proto::from_supervisor::kStderr, h_.stderr_cap, 0, true, proto::cause::kStderr};
  std::string pending_;
  bool input_ended_ = false;
  CgroupCounters before_, after_;
  pid_t pid_ = -1;
  std::int64_t t0_ = 0;
  bool done_ = false;
  int status_ = 0;
  std::int64_t wall_ns_ = 0;
  std::int64_t cpu_ns_ = 0;
  std::int64_t peak_kib_ = 0;
  const char* cause_ = proto::cause::kNone;
  std::string error_kind_;
  std::string error_;
  bool reusable_ = true;
};

}  // namespace

bool run_one(InChannel& in, const proto::RunHeader& h, int sigchld_fd, const std::string& setup_error) {
  Run run(in, h, sigchld_fd);
  return run.go(setup_error);
}

}  // namespace supervisor
