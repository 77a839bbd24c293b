// A function run (docs/functions.md, runner/shared/protocol.h): the staff's
// tests in a process of the staff's uid, the student's module imported once
// in a zygote of the student's uid and forked for every test, and PID 1
// between them: it hands each test a fresh socket, times the student's CPU
// and memory per test apart from the staff's, and ends whatever outlives its
// limits. The staff's report is the run's stdout.
#pragma once

#include <string>
#include <string_view>

#include "runner/shared/protocol.h"
#include "runner/supervisor/channel.h"

namespace pyjudge::supervisor {

// Runs the staff's process (and, unless `collect`, the student's) after the
// bundle is unpacked, then drops to the student's uid for good. False when
// the channel to the host broke. The container serves no further run.
bool run_functions(InChannel& in, const pyjudge::protocol::RunHeader& h, int sigchld_fd, const std::string& setup_error,
                   std::string_view module, bool collect);

}  // namespace pyjudge::supervisor
