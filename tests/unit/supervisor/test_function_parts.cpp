// The function run's plumbing in the supervisor, run on the host: messages
// with an fd attached on a SOCK_SEQPACKET pair (how each test's socket
// reaches both ends), and a process's CPU time read from /proc.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "runner/shared/unique_fd.h"
#include "runner/supervisor/fd_passing.h"
#include "runner/supervisor/student_procs.h"
#include "runner/supervisor/zygote.h"

using pyjudge::UniqueFd;
using namespace pyjudge::supervisor;

TEST_SUITE("supervisor/function parts") {
  TEST_CASE("a message carries one fd, whole, and the receiver's copy works") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
    const UniqueFd a(sv[0]);
    const UniqueFd b(sv[1]);
    int p[2];
    REQUIRE(::pipe(p) == 0);
    const UniqueFd r(p[0]);
    UniqueFd w(p[1]);
    REQUIRE(send_message(a.get(), "fork", w.get()));
    w.reset();
    // The supervisor takes no fd: recv_message closes what arrives, so the
    // pipe's last write end is gone and its reader sees EOF.
    char buf[64];
    REQUIRE(recv_message(b.get(), buf, sizeof buf) == 4);
    CHECK(std::string(buf, 4) == "fork");
    CHECK(::read(r.get(), buf, 1) == 0);
    // Without an fd, and one message per receive.
    REQUIRE(send_message(a.get(), "begin"));
    REQUIRE(send_message(a.get(), "end"));
    CHECK(recv_message(b.get(), buf, sizeof buf) == 5);
    CHECK(recv_message(b.get(), buf, sizeof buf) == 3);
    CHECK(recv_message(b.get(), buf, sizeof buf) < 0);  // nothing waiting: non-blocking
  }

  TEST_CASE("a process's CPU time grows with its work, and a gone process has none") {
    const auto before = process_cpu_ns(::getpid());
    REQUIRE(before);
    volatile unsigned long x = 0;
    const std::int64_t own0 = own_cpu_ns();
    while (own_cpu_ns() - own0 < 30'000'000) x = x + 1;
    const auto after = process_cpu_ns(::getpid());
    REQUIRE(after);
    CHECK(*after - *before >= 20'000'000);
    CHECK_FALSE(process_cpu_ns(0x7ffffff0));
  }

  TEST_CASE("a message carries up to four fds: a run's stdio and error pipe reach the zygote") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
    const UniqueFd a(sv[0]);
    const UniqueFd b(sv[1]);
    int p[2];
    REQUIRE(::pipe(p) == 0);
    const UniqueFd r(p[0]);
    const UniqueFd w(p[1]);
    CHECK(send_message_fds(a.get(), "run", {r.get(), w.get(), w.get(), r.get()}));
    CHECK_FALSE(send_message_fds(a.get(), "run", {r.get(), w.get(), w.get(), r.get(), w.get()}));
    char buf[64];
    CHECK(recv_message(b.get(), buf, sizeof buf) == 3);
  }

  TEST_CASE("the zygote's replies: its run's pid, then its exit; anything else gives it up") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
    const UniqueFd theirs(sv[1]);
    Zygote z{UniqueFd(sv[0]), 4242};
    CHECK(z.usable(0));
    CHECK(z.next().kind == Zygote::Event::Kind::None);
    REQUIRE(send_message(theirs.get(), "pid 77"));
    const auto pid = z.next();
    CHECK(pid.kind == Zygote::Event::Kind::Pid);
    CHECK(pid.pid == 77);
    REQUIRE(send_message(theirs.get(), "exit 256 9300 17000000"));
    const auto exit = z.next();
    CHECK(exit.kind == Zygote::Event::Kind::Exit);
    CHECK(exit.status == 256);
    CHECK(exit.maxrss_kib == 9300);
    CHECK(exit.cpu_ns == 17'000'000);
    REQUIRE(send_message(theirs.get(), "fail 13"));
    const auto fail = z.next();
    CHECK(fail.kind == Zygote::Event::Kind::Fail);
    CHECK(fail.status == 13);
    for (const char* bad : {"pid 1", "pid -5", "exit 1 2", "exit 1 2 3 4", "exit 99999999 1 1", "pid 12x", "ready",
                            "fail", "fail 99999"}) {
      CAPTURE(std::string(bad));
      int s2[2];
      REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s2) == 0);
      const UniqueFd other(s2[1]);
      Zygote broken{UniqueFd(s2[0]), 4243};
      REQUIRE(send_message(other.get(), bad));
      CHECK(broken.next().kind == Zygote::Event::Kind::Gone);
      CHECK_FALSE(broken.usable(0));
    }
    // The zygote's end closing: gone.
    int s3[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s3) == 0);
    Zygote closed{UniqueFd(s3[0]), 4244};
    ::close(s3[1]);
    CHECK(closed.next().kind == Zygote::Event::Kind::Gone);
  }
}
