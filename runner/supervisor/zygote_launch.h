// One run through the zygote, from PID 1's side: the zygote client's socket
// (the nonce goes first), its "go PGID", the request that hands the zygote
// the run's stdio, and the run's pid and wait status on their way back to
// the client (a setup that failed in the fork comes back as its errno). When the zygote is gone before the run started,
// the client is told "exec" and runs python3 itself; when it is gone while
// the run goes on, the run (now PID 1's child) is reaped here instead.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "runner/shared/protocol.h"
#include "runner/supervisor/relay.h"
#include "runner/supervisor/zygote.h"

namespace pyjudge::supervisor {

class ZygoteLaunch {
 public:
  ZygoteLaunch(Zygote& zygote, const pyjudge::protocol::RunHeader& h) : zygote_(zygote), h_(h) {}

  // Before timeout is forked: copies of the run's fds for the zygote, and the
  // client's socket, whose other end is `client_end`. False on failure.
  bool prepare(int in, int out, int err, Fd& client_end);

  int client_fd() const { return client_.get(); }
  int zygote_fd() const { return outstanding() ? zygote_.fd() : -1; }
  // The zygote holds a run it has not reported the end of.
  bool outstanding() const { return asked_ && !exited_; }
  // The errno of a setup the fork could not finish (0: none).
  int setup_errno() const { return setup_errno_; }

  // The client wrote: "go PGID" asks the zygote for the run.
  void on_client();
  // The zygote wrote. The run's peak and CPU time are added to `peak_kib`
  // and `cpu_ns`. False when the zygote went away before it told the run's
  // pid: that run cannot be accounted for.
  bool on_zygote(std::int64_t& peak_kib, std::int64_t& cpu_ns);
  // PID 1 reaped `p`: the run's process when the zygote died under it.
  void on_reaped(pid_t p, int status);
  // After the run, once PID 1's sweep has waited for the zygote's last word
  // on it (Run::kill_and_reap_all): false when that never came (the zygote
  // is given up).
  bool settle();

 private:
  void tell_client(const std::string& msg);
  void close_fds();

  Zygote& zygote_;
  const pyjudge::protocol::RunHeader& h_;
  Fd client_;
  Fd fds_[3];
  bool asked_ = false;
  int setup_errno_ = 0;
  bool exited_ = false;
  pid_t run_pid_ = -1;
};

}  // namespace pyjudge::supervisor
