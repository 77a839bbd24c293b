#include "runner/supervisor/run.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>

#include "runner/shared/errno_text.h"
#include "runner/shared/gvisor_memory.h"
#include "runner/shared/unique_fd.h"
#include "runner/supervisor/cgroup.h"
#include "runner/supervisor/launch.h"
#include "runner/supervisor/memory_watch.h"
#include "runner/supervisor/record.h"
#include "runner/supervisor/relay.h"
#include "runner/supervisor/student_procs.h"
#include "runner/supervisor/workdir.h"
#include "runner/supervisor/zygote_launch.h"

namespace pyjudge::supervisor {

namespace {

namespace proto = pyjudge::protocol;

class Run {
 public:
  Run(InChannel& in, const proto::RunHeader& h, int sigfd, Zygote* zygote)
      : in_(in), h_(h), sigfd_(sigfd), zygote_(zygote) {}

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
    Fd in_r;
    Fd out_w;
    Fd err_w;
    Fd secret_w;
    Fd secret_r;
    if (!make_pipe(in_r, stdin_w_) || !make_pipe(out_.pipe, out_w) || !make_pipe(err_.pipe, err_w) ||
        !make_pipe(error_r_, error_w_) || !make_pipe(secret_r, secret_w))
      return false;
    for (int fd : {stdin_w_.get(), out_.pipe.get(), err_.pipe.get(), error_r_.get()}) set_nonblocking(fd);
    Fd client_end;
    if (zygote_ && zygote_->usable(10'000)) {
      // The client's socket stands where the secret pipe was.
      launch_.emplace(*zygote_, h_);
      if (!launch_->prepare(in_r.get(), out_w.get(), err_w.get(), client_end)) return false;
      secret_r = std::move(client_end);
    } else if (::write(secret_w.get(), h_.nonce.data(), h_.nonce.size()) != static_cast<ssize_t>(h_.nonce.size())) {
      // The nonce is in the pipe before the script can exist; the launcher
      // drains it, so nothing is left there for the script to find.
      return false;
    }
    secret_w.reset();
    before_ = read_cgroup();
    if (has_cgroup()) {
      watch_.emplace(read_memory_limit(), before_.oom_kills);
    } else if (const auto total = read_meminfo_total(); total && *total > pyjudge::kGvisorMemoryHeadroomBytes) {
      // gVisor: the container's cap is the script's plus the headroom.
      watch_.emplace(*total - pyjudge::kGvisorMemoryHeadroomBytes, std::nullopt, MemoryWatch::Cap::SupervisorEnforced);
    }
    LaunchPlan plan{h_.nonce,    h_.entry,    h_.wall_limit_ns, h_.kill_grace_ns, h_.cpu_limit_ns,    in_r.get(),
                    out_w.get(), err_w.get(), error_w_.get(),   secret_r.get(),   launch_.has_value()};
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
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-union-access): glibc declares ru_maxrss in an anonymous union
    peak_kib_ = std::max<std::int64_t>(peak_kib_, ru.ru_maxrss);
  }

  void reaped(pid_t p, int st, const rusage& ru) {
    account(ru);
    if (zygote_ && p == zygote_->pid()) zygote_->reaped();
    if (launch_) launch_->on_reaped(p, st);
    if (p == pid_) {
      status_ = st;
      done_ = true;
      ended_ns_ = now_ns();
      wall_ns_ = ended_ns_ - t0_;
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

  // Everyone but PID 1 (and the zygote, which is root's), until no child
  // is left (killing again before each wait catches anything forked while
  // the first kill went round).
  void kill_and_reap_all() {
    if (zygote_ && (zygote_->alive() || (launch_ && launch_->outstanding()))) {
      // The zygote stays PID 1's child: wait until no process of the
      // sandbox's uid is left instead (the zygote reaps its own child). While
      // the zygote holds a run it has not reported, that run may still be
      // root's (its setup), which no kill reaches: wait for the report too.
      for (int i = 0; i < 2000; ++i) {
        ::kill(-1, SIGKILL);
        reap_exited();
        if (launch_ && launch_->outstanding() && zygote_->readable(0) && !launch_->on_zygote(peak_kib_, zygote_cpu_ns_))
          zygote_lost();
        const bool waiting = launch_ && launch_->outstanding() && zygote_->fd() >= 0;
        if (!waiting && (!zygote_->alive() || kill_student_processes(-1, 1))) break;
        pollfd p[2] = {{sigfd_, POLLIN, 0}, {waiting ? zygote_->fd() : -1, POLLIN, 0}};
        ::poll(p, 2, 5);
        drain_signals(sigfd_);
      }
      if (zygote_->alive()) return;
    }
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

  // Until timeout has ended: relay, watch the clock, the CPU time and the memory. False
  // when the channel to the host broke.
  bool loop() {
    const std::int64_t grace = std::max<std::int64_t>(h_.kill_grace_ns, 10'000'000);
    const std::int64_t deadline = t0_ + h_.wall_limit_ns + grace + 250'000'000;
    std::int64_t next_tick = t0_;
    while (!done_) {
      if (!take_buffered_input()) return false;
      const std::int64_t now = now_ns();
      check_limits(now, deadline, next_tick);
      PollSet ps = poll_set();
      if (::poll(ps.fds, static_cast<nfds_t>(ps.n), wait_ms(now, deadline, next_tick)) < 0 && errno != EINTR)
        return false;
      if (!on_ready(ps)) return false;
    }
    return true;
  }

  // The next input frame is wanted (none is waiting for the script to read it).
  bool wants_input() const { return !input_ended_ && pending_.empty(); }
  // An input frame is waiting for the script to read it.
  bool feeding() const { return stdin_w_ && !pending_.empty(); }

  // Frames already read from fd 0 go first: poll() will not report them.
  bool take_buffered_input() {
    while (wants_input() && in_.buffered())
      if (!read_input()) return false;
    if (feeding()) feed_child();
    return true;
  }

  // Whether the 20 ms tick runs: the cgroup's counters are readable, or
  // (gVisor) the sandbox's memory is watched.
  bool ticking() const { return has_cgroup() || watch_.has_value(); }
  bool has_cgroup() const { return std::strcmp(before_.version, "none") != 0; }

  // The deadline (timeout was defeated) and, every 20 ms, the CPU time and
  // the memory. Nothing is watched once a cause has ended the run.
  void check_limits(std::int64_t now, std::int64_t deadline, std::int64_t& next_tick) {
    if (now >= deadline) set_cause(proto::cause::kDeadline);
    if (!ticking() || now < next_tick) return;
    next_tick = now + 20'000'000;
    if (cause_[0] != '\0') return;
    if (!has_cgroup()) {
      if (watch_->observe(now - t0_, read_meminfo_sample(), std::nullopt)) set_cause(proto::cause::kMemory);
      return;
    }
    const CgroupCounters c = read_cgroup();
    if (h_.cpu_limit_ns > 0 && c.cpu_ns && before_.cpu_ns && *c.cpu_ns - *before_.cpu_ns >= h_.cpu_limit_ns)
      set_cause(proto::cause::kCpu);
    else if (watch_->observe(now - t0_, read_memory_sample(), c.oom_kills))
      set_cause(proto::cause::kMemory);
  }

  PollSet poll_set() const {
    PollSet ps;
    ps.sig = ps.add(sigfd_, POLLIN);
    if (out_.open) ps.out = ps.add(out_.pipe.get(), POLLIN);
    if (err_.open) ps.err = ps.add(err_.pipe.get(), POLLIN);
    if (wants_input()) ps.in = ps.add(0, POLLIN);
    if (feeding()) ps.child = ps.add(stdin_w_.get(), POLLOUT);
    if (launch_ && launch_->client_fd() >= 0) ps.client = ps.add(launch_->client_fd(), POLLIN);
    if (launch_ && launch_->zygote_fd() >= 0) ps.zygote = ps.add(launch_->zygote_fd(), POLLIN);
    return ps;
  }

  // Until the next limit check at most, and not at all when a frame is
  // already here.
  int wait_ms(std::int64_t now, std::int64_t deadline, std::int64_t next_tick) const {
    if (wants_input() && in_.buffered()) return 0;
    std::int64_t wait_ns = deadline - now;
    if (ticking()) wait_ns = std::min(wait_ns, next_tick - now);
    return static_cast<int>(std::clamp<std::int64_t>(wait_ns / 1'000'000 + 1, 0, 1000));
  }

  // What poll() found ready; false when the channel to the host broke.
  bool on_ready(const PollSet& ps) {
    if (ps.ready(ps.sig)) {
      drain_signals(sigfd_);
      reap_exited();
    }
    if (ps.ready(ps.out) && !relay(out_)) return false;
    if (ps.ready(ps.err) && !relay(err_)) return false;
    if (ps.ready(ps.in) && !read_input()) return false;
    if (ps.ready(ps.child)) feed_child();
    if (ps.ready(ps.client) && !done_) launch_->on_client();  // timeout gone: no run starts
    if (ps.ready(ps.zygote) && !launch_->on_zygote(peak_kib_, zygote_cpu_ns_)) zygote_lost();
    return true;
  }

  // One read of the script's output, sent on; past its cap, the run ends.
  bool relay(Relay& r) {
    bool exceeded = false;
    if (!r.pump(relay_buf_, sizeof relay_buf_, exceeded)) return false;
    if (exceeded) set_cause(r.cause);
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

  // The zygote ended while it held a run it never named: the run cannot be
  // accounted for, so it is the judge's failure, and everything ends.
  void zygote_lost() {
    error_kind_ = proto::error_kind::kSetup;
    error_ = "the zygote ended during the run";
    set_cause(proto::cause::kNone);
  }

  // timeout has ended: kill what it left, reap everything, take the last output.
  void finish() {
    kill_and_reap_all();
    if (launch_ && !launch_->settle() && error_.empty()) zygote_lost();
    if (launch_ && launch_->setup_errno() != 0 && error_.empty()) {
      error_kind_ = proto::error_kind::kLaunch;
      error_ = "cannot start the run in the zygote: " + pyjudge::errno_text(launch_->setup_errno());
    }
    drain_signals(sigfd_);
    stdin_w_.reset();
    for (Relay* r : {&out_, &err_}) {
      bool exceeded = false;
      while (r->open) {
        if (!r->pump(relay_buf_, sizeof relay_buf_, exceeded)) return;
        if (exceeded) {
          if (cause_[0] == '\0') cause_ = r->cause;
          break;
        }
      }
    }
    // The CPU time is the cgroup's, which a child reaped by the kernel
    // (SIGCHLD ignored) cannot leave out; rusage only without a cgroup.
    cpu_ns_ += zygote_cpu_ns_;
    if (const auto cpu = read_cgroup_cpu_ns(); cpu && before_.cpu_ns) cpu_ns_ = *cpu - *before_.cpu_ns;
    if (h_.cpu_limit_ns > 0 && cpu_ns_ >= h_.cpu_limit_ns && cause_[0] == '\0') cause_ = proto::cause::kCpu;
    char text[512];
    const ssize_t n = ::read(error_r_.get(), text, sizeof text - 1);
    text[n > 0 ? n : 0] = '\0';
    const std::string launch = launch_error(text, h_.nonce);
    if (!launch.empty() && error_.empty()) {
      error_kind_ = proto::error_kind::kLaunch;
      error_ = launch;
    }
  }

  // Whatever the run left, the next run must not see.
  void reset_state() {
    kill_and_reap_all();
    launch_.reset();
    drain_signals(sigfd_);
    after_ = read_cgroup();
    out_.pipe.reset();
    err_.pipe.reset();
    error_r_.reset();
    const bool tmp_clean = empty_directory("/tmp");  // both are wiped, whatever the first one gave
    const bool shm_clean = empty_directory("/dev/shm");
    reusable_ = tmp_clean && shm_clean;
    remove_sysv_ipc();
  }

  std::string record() const {
    RunRecord r;
    const bool ran = pid_ > 0 && done_;
    if (ran && WIFEXITED(status_)) r.rc = WEXITSTATUS(status_);
    if (ran && WIFSIGNALED(status_)) r.signal = WTERMSIG(status_);
    r.wall_ns = wall_ns_;
    if (ended_ns_ > 0) r.ended_ns = ended_ns_;
    if (ran) {
      r.cpu_ns = cpu_ns_;
      r.memory_peak = std::max(peak_kib_ * 1024, watch_ ? watch_->peak_bytes() : 0);
      if (watch_) r.memory_cap_ns = watch_->reached_ns();
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
  Zygote* zygote_;
  std::optional<ZygoteLaunch> launch_;
  std::int64_t zygote_cpu_ns_ = 0;
  Fd stdin_w_;
  Fd error_r_;
  Fd error_w_;
  Relay out_{Fd(), proto::from_supervisor::kStdout, h_.stdout_cap, 0, true, proto::cause::kStdout};
  Relay err_{Fd(), proto::from_supervisor::kStderr, h_.stderr_cap, 0, true, proto::cause::kStderr};
  std::string pending_;
  bool input_ended_ = false;
  CgroupCounters before_, after_;
  std::optional<MemoryWatch> watch_;
  pid_t pid_ = -1;
  std::int64_t t0_ = 0;
  bool done_ = false;
  int status_ = 0;
  std::int64_t wall_ns_ = 0;
  std::int64_t ended_ns_ = 0;
  std::int64_t cpu_ns_ = 0;
  std::int64_t peak_kib_ = 0;
  const char* cause_ = proto::cause::kNone;
  std::string error_kind_;
  std::string error_;
  bool reusable_ = true;
  char relay_buf_[16384] = {};
};

}  // namespace

bool run_one(InChannel& in, const proto::RunHeader& h, int sigchld_fd, const std::string& setup_error, Zygote* zygote) {
  Run run(in, h, sigchld_fd, zygote);
  return run.go(setup_error);
}

}  // namespace pyjudge::supervisor
