// The zygote client: in a container with a zygote, what coreutils timeout
// runs in place of the launcher. It stands for the run's process, which the
// zygote forks into timeout's process group: it tells the supervisor that
// group (fd 4, the nonce its first message), waits for the run's wait status
// and ends the same way (an exit code, or the same signal), so that timeout
// reports the run as it would an exec'd python3. It ignores the signals
// timeout passes on to its process group (SIGTERM, SIGINT, SIGQUIT, SIGHUP,
// SIGALRM): the run gets them there and decides how they end it. Told
// "exec" (the zygote is gone), it becomes the launcher's python3 itself.
#pragma once

namespace pyjudge::supervisor {

// argv: supervisor --zygote-client CPU_LIMIT_NS ENTRY.
int zygote_client_main(int argc, char** argv);

}  // namespace pyjudge::supervisor
