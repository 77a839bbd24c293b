// pyjudge's in-container supervisor: the container's init (PID 1). It runs
// the runs the host sends over the framed channel (runner/shared/protocol.h), one
// after another, each in a clean /tmp, and reports each on a record.
//
// As PID 1 it cannot be signalled from inside the container (it installs no
// signal handler: SIGCHLD is blocked and read from a signalfd), it reaps
// every orphan, and it makes itself non-dumpable before reading anything, so
// the script can neither ptrace it nor read its memory or fds from /proc.
// A function run's container starts it as root, with CAP_SETUID and
// CAP_SETGID only, until that run's processes have started (functions.h);
// so does a script container with a zygote (--zygote), until the zygote has
// started (zygote.h).
#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "runner/shared/protocol.h"
#include "runner/supervisor/channel.h"
#include "runner/supervisor/child_setup.h"
#include "runner/supervisor/functions.h"
#include "runner/supervisor/launch.h"
#include "runner/supervisor/run.h"
#include "runner/supervisor/workdir.h"
#include "runner/supervisor/zygote.h"
#include "runner/supervisor/zygote_client.h"

namespace {

namespace proto = pyjudge::protocol;

// The container's stderr: the supervisor's own failures, for the host's log.
int die(const char* what) {
  (void)std::fprintf(stderr, "pyjudge supervisor: %s\n", what);  // with stderr gone, nobody is told
  return 99;
}

}  // namespace

// NOLINTNEXTLINE(readability-function-cognitive-complexity): the container's life in order, each step one branch
int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--launch") == 0) return pyjudge::supervisor::launcher_main(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "--zygote-client") == 0)
    return pyjudge::supervisor::zygote_client_main(argc, argv);
  // kill(-1) from anything but a container's init would hit the whole machine.
  if (::getpid() != 1) return die("must run as PID 1 of a pyjudge container");
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return die("prctl(PR_SET_DUMPABLE) failed");
  if (std::signal(SIGPIPE, SIG_IGN) == SIG_ERR) return die("cannot ignore SIGPIPE");
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  if (::pthread_sigmask(SIG_BLOCK, &chld, nullptr) != 0) return die("cannot block SIGCHLD");
  const int sigfd = ::signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sigfd < 0) return die("signalfd failed");
  ::fcntl(0, F_SETFL, ::fcntl(0, F_GETFL) | O_NONBLOCK);

  // A script container with a zygote: the zygote starts as root (the
  // container's only CAP_SETUID and CAP_SETGID), then PID 1 drops to the
  // sandbox's uid for good. Without a zygote, runs are exec'd as before.
  std::optional<pyjudge::supervisor::Zygote> zygote;
  const bool scripts_only = argc >= 2 && std::strcmp(argv[1], proto::kZygoteArg) == 0;
  if (scripts_only) {
    if (::getuid() != 0) return die("--zygote needs a container started as root");
    zygote.emplace();
    if (!zygote->start()) {
      (void)std::fprintf(stderr, "pyjudge supervisor: cannot start the zygote; runs are exec'd\n");
      zygote.reset();
    }
    if (!pyjudge::supervisor::become(proto::kSandboxUid) || ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
      return die("cannot drop to the sandbox's uid");
  }

  pyjudge::supervisor::InChannel in;
  for (;;) {
    char type = 0;
    std::string_view payload;
    switch (in.next(type, payload)) {
      case pyjudge::supervisor::InChannel::Got::Eof:
        return 0;  // the host is done with this container
      case pyjudge::supervisor::InChannel::Got::Error:
        return die("the channel from the host broke");
      case pyjudge::supervisor::InChannel::Got::Frame:
        break;
    }
    proto::RunHeader h;
    if (type != proto::to_supervisor::kRun || payload.size() > proto::kMaxHeaderBytes ||
        !proto::parse_run_header(payload, h))
      return die("bad run header (protocol 5 expected)");
    bool collect = false;
    const std::string_view module = pyjudge::protocol::functions_module(h.entry, collect);
    if (!module.empty() && scripts_only) return die("a function run in a container made for scripts");
    if (!module.empty()) {
      // A container made for a function run (root, CAP_SETUID and CAP_SETGID
      // only) serves that one run, then ends.
      bool in_sync = true;
      const std::string err = pyjudge::supervisor::unpack_bundle(in, h.bundle_bytes, "/tmp", in_sync, true);
      if (!in_sync) return die("the bundle was cut short");
      if (!pyjudge::supervisor::run_functions(in, h, sigfd, err, module, collect))
        return die("the channel to the host broke");
      return 0;
    }
    // Root is for function runs only: a script never runs beside it.
    if (::getuid() == 0) return die("a script run in a container made for a function run");
    bool in_sync = true;
    const std::string err = pyjudge::supervisor::unpack_bundle(in, h.bundle_bytes, "/tmp", in_sync);
    if (!in_sync) return die("the bundle was cut short");
    if (!pyjudge::supervisor::run_one(in, h, sigfd, err, zygote ? &*zygote : nullptr))
      return die("the channel to the host broke");
  }
}
