#include "runner/supervisor/functions.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "runner/shared/errno_text.h"
#include "runner/shared/unique_fd.h"
#include "runner/supervisor/cgroup.h"
#include "runner/supervisor/child_setup.h"
#include "runner/supervisor/fd_passing.h"
#include "runner/supervisor/record.h"
#include "runner/supervisor/relay.h"
#include "runner/supervisor/student_procs.h"
#include "runner/supervisor/student_window.h"
#include "runner/supervisor/workdir.h"

namespace pyjudge::supervisor {

namespace {

namespace proto = pyjudge::protocol;

constexpr std::size_t kMaxMessage = std::size_t{64} << 10;
constexpr std::int64_t kTickNs = 20'000'000;

enum class Zygote { None, Starting, Ready, Failed };
enum class Phase { Idle, Import, Test };

std::string exit_json(std::optional<int> status) {
  if (!status) return "null";
  if (WIFSIGNALED(*status)) return R"({"signal":)" + std::to_string(WTERMSIG(*status)) + "}";
  return R"({"status":)" + std::to_string(WEXITSTATUS(*status)) + "}";
}

class FunctionsRun {  // NOLINT(clang-analyzer-optin.performance.Padding): one per container
 public:
  FunctionsRun(InChannel& in, const proto::RunHeader& h, int sigfd, std::string_view module, bool collect)
      : in_(in), h_(h), sigfd_(sigfd), module_(module), collect_(collect) {}

  bool go(const std::string& setup_error) {
    t0_ = now_ns();
    before_ = read_cgroup();
    if (!setup_error.empty()) {
      fail_setup(setup_error);
    } else if (std::strcmp(before_.version, "none") == 0) {
      fail_setup("function runs need the container's cgroup counters (not under gVisor)");
    } else if (!start_staff()) {
      if (error_.empty()) fail_setup("cannot start the staff's process (pipes or fork failed)");
    }
    // Whatever happened, nothing runs as root from here on.
    if (!become(proto::kSandboxUid) || ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
      (void)std::fprintf(stderr, "pyjudge supervisor: cannot drop to the sandbox's uid\n");
      ::_exit(98);
    }
    if (error_.empty() && !loop()) return false;
    kill_student_processes(-1);
    reap();
    if (const auto c = read_cgroup_cpu_ns(); c && before_.cpu_ns) cpu_ns_ = *c - *before_.cpu_ns;
    if (!write_frame(proto::from_supervisor::kRecord, record())) return false;
    return drain_input();
  }

 private:
  void fail_setup(const std::string& why) {
    error_kind_ = proto::error_kind::kSetup;
    error_ = why;
  }

  bool start_staff() {
    int ctl[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) != 0) return false;
    ctl_.reset(ctl[0]);
    Fd staff_end(ctl[1]);
    Fd report_w;
    Fd diag_w;
    if (!make_pipe(report_.pipe, report_w) || !make_pipe(diag_.pipe, diag_w)) return false;
    for (int fd : {ctl_.get(), report_.pipe.get(), diag_.pipe.get()}) set_nonblocking(fd);
    staff_pid_ = ::fork();
    if (staff_pid_ < 0) return false;
    if (staff_pid_ == 0) {
      if (!child_fds(report_w.get(), diag_w.get(), collect_ ? -1 : staff_end.get()) || !become(proto::kStaffUid) ||
          ::chdir(proto::kStaffDir) != 0) {
        const std::string why = pyjudge::errno_text(errno);
        (void)std::fprintf(stderr, "pyjudge supervisor: cannot set up the staff's process: %s\n", why.c_str());
        ::_exit(127);
      }
      const std::string script = std::string(proto::kHarnessDir) + "/staff.py";
      const char* extra[] = {module_.c_str(), collect_ ? "--collect" : nullptr, nullptr};
      exec_python(script.c_str(), extra, proto::kStaffDir);
    }
    return true;
  }

  bool start_zygote() {
    int z[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, z) != 0) return false;
    zyg_.reset(z[0]);
    Fd child_end(z[1]);
    set_nonblocking(zyg_.get());
    w_.open(staff_pid_);
    phase_ = Phase::Import;
    zygote_ = Zygote::Starting;
    ready_.clear();
    zygote_exit_.reset();
    zygote_pid_ = ::fork();
    if (zygote_pid_ < 0) return false;
    if (zygote_pid_ == 0) {
      if (!child_fds(-1, -1, child_end.get()) || ::chdir(proto::kWorkDir) != 0) ::_exit(127);
      // The OOM killer takes the student's processes before the staff's.
      // (A fork of PID 1 is not dumpable, so its /proc/self files are not
      // its own to write until it says so; its exec would say so anyway.)
      (void)::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
      const int adj = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
      if (adj >= 0) {
        (void)!::write(adj, "1000", 4);
        ::close(adj);
      }
      const std::string script = std::string(proto::kHarnessDir) + "/student.py";
      const char* extra[] = {module_.c_str(), nullptr};
      exec_python(script.c_str(), extra, "/tmp");
    }
    return true;
  }

  std::int64_t test_wall_ns() const { return h_.cpu_limit_ns * proto::kTestWallPerCpu + proto::kTestWallExtraNs; }

  // Every 20 ms of a window: the student's CPU time, memory and wall time.
  void check_window(std::int64_t now) {
    if (phase_ == Phase::Idle || w_.cause()[0] != '\0') return;
    const std::int64_t mem = w_.memory(staff_pid_);
    const auto ooms = read_cgroup().oom_kills;
    if (h_.cpu_limit_ns > 0 && w_.cpu(staff_pid_) >= h_.cpu_limit_ns)
      end_student(proto::cause::kCpu);
    else if (mem >= StudentWindow::memory_cap() || w_.oom_kills_since(ooms) > 0)
      end_student(proto::cause::kMemory);
    else if (now - w_.start_ns() >= test_wall_ns())
      end_student("wall");
  }

  // A limit ended the window: every student process goes, the zygote too.
  void end_student(const char* cause) {
    w_.set_cause(cause);
    kill_student_processes(-1);
    if (phase_ == Phase::Import) {
      zygote_ = Zygote::Failed;
      phase_ = Phase::Idle;
    } else if (zygote_ == Zygote::Ready) {
      zygote_ = Zygote::None;
    }
  }

  void reap() {
    for (;;) {
      int st = 0;
      const pid_t p = ::waitpid(-1, &st, WNOHANG);
      if (p < 0 && errno == EINTR) continue;
      if (p <= 0) return;
      if (p == staff_pid_) {
        staff_status_ = st;
        staff_done_ = true;
        wall_ns_ = now_ns() - t0_;
      } else if (p == zygote_pid_) {
        // What it sent before it ended (a failed import's ready) first.
        if (zyg_) read_zygote();
        zygote_pid_ = -1;
        zygote_exit_ = st;
        zyg_.reset();
        if (zygote_ == Zygote::Starting) {
          zygote_ = Zygote::Failed;
          phase_ = Phase::Idle;
        } else if (zygote_ == Zygote::Ready) {
          zygote_ = Zygote::None;
        }
      } else if (p == test_pid_) {
        test_exit_ = st;
      }
    }
  }

  // The zygote's messages: "ready\n" + its report once, then "pid N" per
  // fork and "exit N WAIT_STATUS CPU_NS" when it has reaped that process.
  // The status only words the message of a test whose process ended; it is
  // taken for the pid the zygote named for this test alone.
  void read_zygote() {
    char buf[kMaxMessage];
    for (;;) {
      const ssize_t n = recv_message(zyg_.get(), buf, sizeof buf);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (n <= 0) {
        zyg_.reset();  // the zygote is ending; reap() says how
        return;
      }
      const std::string_view msg(buf, static_cast<std::size_t>(n));
      if (zygote_ == Zygote::Starting && msg.substr(0, 6) == "ready\n") {
        ready_.assign(msg.substr(6));
        const bool ok = ready_.rfind(R"({"ok": true)", 0) == 0 || ready_.rfind(R"({"ok":true)", 0) == 0;
        zygote_ = ok ? Zygote::Ready : Zygote::Failed;
        phase_ = Phase::Idle;
      } else if (phase_ == Phase::Test && msg.substr(0, 4) == "pid ") {
        test_pid_ = static_cast<pid_t>(std::strtol(std::string(msg.substr(4)).c_str(), nullptr, 10));
      } else if (msg.substr(0, 5) == "exit ") {
        take_reported_exit(std::string(msg.substr(5)));
      }
    }
  }

  // Up to `ms` for the zygote's next message (or plainly `ms` without one).
  void wait_for_zygote(int ms) {
    if (!zyg_) {
      ::usleep(static_cast<useconds_t>(ms) * 1000);
      return;
    }
    pollfd p{zyg_.get(), POLLIN, 0};
    (void)::poll(&p, 1, ms);
  }

  void take_reported_exit(const std::string& fields) {
    const char* p = fields.c_str();
    char* end = nullptr;
    const long pid = std::strtol(p, &end, 10);
    if (end == p || *end != ' ' || test_pid_ <= 0 || pid != test_pid_ || test_exit_) return;
    p = end + 1;
    const long status = std::strtol(p, &end, 10);
    if (end == p || status < 0 || status > 0xFFFF) return;
    test_exit_ = static_cast<int>(status);
  }

  // The staff's "begin" and "end".
  bool read_control() {
    char buf[256];
    for (;;) {
      const ssize_t n = recv_message(ctl_.get(), buf, sizeof buf);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      if (n <= 0) {
        ctl_.reset();
        return true;
      }
      const std::string_view msg(buf, static_cast<std::size_t>(n));
      if (msg == "begin")
        begin_wanted_ = true;
      else if (msg == "end")
        end_test();
    }
  }

  // A begin waits for a zygote that has imported the module (or failed to).
  void serve_begin() {
    if (!begin_wanted_ || collect_) return;
    if (zygote_ == Zygote::None && !start_zygote()) {
      zygote_ = Zygote::Failed;
      w_.set_cause(proto::cause::kNone);
    }
    if (zygote_ == Zygote::Starting) return;
    begin_wanted_ = false;
    if (zygote_ == Zygote::Failed) {
      send_message(ctl_.get(), R"({"ok":false,"cause":")" + std::string(w_.cause()) + R"(","exit":)" +
                                   exit_json(zygote_exit_) + "}\n" + ready_);
      return;
    }
    ::kill(zygote_pid_, SIGCONT);  // a test may have stopped it
    int s[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s) != 0) {
      send_message(ctl_.get(), std::string(R"({"ok":false,"cause":"","exit":null})") + "\n");
      return;
    }
    const Fd staff_end(s[0]);
    const Fd student_end(s[1]);
    w_.open(staff_pid_);
    phase_ = Phase::Test;
    test_pid_ = -1;
    test_exit_.reset();
    // A zygote that cannot take the fork leaves the test's socket without
    // a peer: the staff's first call sees EOF, and the test is RE.
    if (!send_message(zyg_.get(), "fork", student_end.get())) zygote_ = Zygote::None;
    send_message(ctl_.get(), std::string(R"({"ok":true})") + "\n" + ready_, staff_end.get());
  }

  void end_test() {
    if (phase_ != Phase::Test) {
      send_message(ctl_.get(), R"({"cpu_ns":0,"wall_ns":0,"memory_peak":0,"cause":"","exit":null,"oom_kills":0})");
      return;
    }
    const std::int64_t cpu = w_.cpu(staff_pid_);
    const std::int64_t wall = now_ns() - w_.start_ns();
    w_.memory(staff_pid_);
    const auto ooms = read_cgroup().oom_kills;
    if (!kill_student_processes(zygote_ == Zygote::Ready ? zygote_pid_ : -1)) {
      kill_student_processes(-1);
      if (zygote_ == Zygote::Ready) zygote_ = Zygote::None;
    }
    // At most ~1 s for the kill to land: the zygote reaps its test process
    // and says so, or, when the zygote is gone, this process reaps it. (A
    // test may have stopped the zygote.)
    if (zygote_pid_ > 0) ::kill(zygote_pid_, SIGCONT);
    for (int i = 0; i < 200 && test_pid_ > 0 && !test_exit_; ++i) {
      reap();
      if (zyg_ && !test_exit_) read_zygote();
      if (!test_exit_) wait_for_zygote(5);
    }
    reap();
    remove_sysv_ipc();
    const std::int64_t oom = w_.oom_kills_since(ooms);
    send_message(ctl_.get(), R"({"cpu_ns":)" + std::to_string(cpu) + R"(,"wall_ns":)" + std::to_string(wall) +
                                 R"(,"memory_peak":)" + std::to_string(w_.peak()) + R"(,"cause":")" + w_.cause() +
                                 R"(","exit":)" + exit_json(test_exit_) + R"(,"oom_kills":)" + std::to_string(oom) +
                                 "}");
    phase_ = Phase::Idle;
  }

  bool loop() {
    const std::int64_t deadline = t0_ + h_.wall_limit_ns + std::max<std::int64_t>(h_.kill_grace_ns, 10'000'000);
    std::int64_t next_tick = t0_;
    while (!(staff_done_ && !report_.open && !diag_.open)) {
      const std::int64_t now = now_ns();
      if (now >= deadline) {
        cause_ = proto::cause::kDeadline;
        return true;
      }
      if (now >= next_tick) {
        next_tick = now + kTickNs;
        check_window(now);
      }
      serve_begin();
      const auto step = wait_and_serve(std::min(next_tick, deadline) - now);
      if (step == Step::Broken) return false;
      if (step == Step::Stop) return true;
    }
    return true;
  }

  enum class Step { Go, Stop, Broken };

  // One poll() over the signals, the staff's pipes and socket, the zygote's
  // socket and the host's frames, and what was ready served.
  Step wait_and_serve(std::int64_t wait_ns) {
    pollfd fds[6];
    int n = 0;
    const auto add = [&](int fd) {
      fds[n] = {fd, POLLIN, 0};
      return n++;
    };
    const int sig = add(sigfd_);
    const int rep = report_.open ? add(report_.pipe.get()) : -1;
    const int diag = diag_.open ? add(diag_.pipe.get()) : -1;
    const int ctl = ctl_ ? add(ctl_.get()) : -1;
    const int zyg = zyg_ ? add(zyg_.get()) : -1;
    const int inp = input_ended_ ? -1 : add(0);
    const bool buffered = in_.buffered() && !input_ended_;
    const int ms = buffered ? 0 : static_cast<int>(std::clamp<std::int64_t>(wait_ns / 1'000'000 + 1, 0, 1000));
    if (::poll(fds, static_cast<nfds_t>(n), ms) < 0 && errno != EINTR) return Step::Broken;
    const auto ready = [&](int i) { return i >= 0 && fds[i].revents != 0; };
    if (ready(sig)) {
      drain_signals(sigfd_);
      reap();
    }
    bool exceeded = false;
    if (ready(rep) && !report_.pump(buf_, sizeof buf_, exceeded)) return Step::Broken;
    if (exceeded) {
      cause_ = proto::cause::kStdout;
      return Step::Stop;
    }
    if (ready(diag) && !diag_.pump(buf_, sizeof buf_, exceeded)) return Step::Broken;
    if (ready(zyg)) read_zygote();
    if (ready(ctl)) read_control();
    if ((ready(inp) || buffered) && !input_ended_ && !read_input()) return Step::Broken;
    return Step::Go;
  }

  // The host sends no stdin to a function run: frames up to INPUT_END.
  bool read_input() {
    for (;;) {
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
        return true;
      }
      if (type != proto::to_supervisor::kInput) return false;
    }
  }

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

  std::string record() const {
    RunRecord r;
    if (staff_done_ && WIFEXITED(staff_status_)) r.rc = WEXITSTATUS(staff_status_);
    if (staff_done_ && WIFSIGNALED(staff_status_)) r.signal = WTERMSIG(staff_status_);
    r.wall_ns = staff_done_ ? wall_ns_ : now_ns() - t0_;
    if (error_.empty()) r.cpu_ns = cpu_ns_;
    r.cause = cause_;
    r.error_kind = error_kind_;
    r.error = error_;
    r.cgroup = before_.version;
    r.reusable = false;  // the staff's files and uid: one run per container
    return format_record(h_.nonce, r);
  }

  InChannel& in_;
  const proto::RunHeader& h_;
  int sigfd_;
  std::string module_;
  bool collect_;
  std::int64_t t0_ = 0;
  CgroupCounters before_;
  Fd ctl_;
  Fd zyg_;
  Relay report_{Fd(), proto::from_supervisor::kStdout, h_.stdout_cap, 0, true, proto::cause::kStdout};
  Relay diag_{Fd(), proto::from_supervisor::kStderr, h_.stderr_cap, 0, true, proto::cause::kStderr};
  pid_t staff_pid_ = -1;
  bool staff_done_ = false;
  int staff_status_ = 0;
  pid_t zygote_pid_ = -1;
  Zygote zygote_ = Zygote::None;
  std::optional<int> zygote_exit_;
  std::string ready_;
  Phase phase_ = Phase::Idle;
  StudentWindow w_;
  bool begin_wanted_ = false;
  pid_t test_pid_ = -1;
  std::optional<int> test_exit_;
  bool input_ended_ = false;
  std::int64_t wall_ns_ = 0;
  std::int64_t cpu_ns_ = 0;
  const char* cause_ = proto::cause::kNone;
  std::string error_kind_;
  std::string error_;
  char buf_[16384] = {};
};

}  // namespace

bool run_functions(InChannel& in, const proto::RunHeader& h, int sigchld_fd, const std::string& setup_error,
                   std::string_view module, bool collect) {
  FunctionsRun run(in, h, sigchld_fd, module, collect);
  return run.go(setup_error);
}

}  // namespace pyjudge::supervisor
