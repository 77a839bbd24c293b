// One run inside the container: start the script under timeout, relay its
// stdin and output through pipes, enforce the deadline, the CPU-time limit
// and the output caps, then kill and reap everything it left, wipe /tmp,
// /dev/shm and IPC objects, and send the run's record.
#pragma once

#include "runner/shared/protocol.h"
#include "runner/supervisor/channel.h"
#include "runner/supervisor/zygote.h"

namespace pyjudge::supervisor {

// Runs the run `h` whose bundle is already unpacked (or failed to unpack:
// `setup_error`). With a usable `zygote`, the run's process is its fork
// (zygote_launch.h); else timeout's child execs python3. False when the
// channel to the host broke (the supervisor then exits).
bool run_one(InChannel& in, const pyjudge::protocol::RunHeader& h, int sigchld_fd, const std::string& setup_error,
             Zygote* zygote = nullptr);

}  // namespace pyjudge::supervisor
