// Interrupts: the signal handlers only record what arrived; the code that
// owns containers polls for it and cleans up.
#pragma once

namespace pyjudge {

// SIGINT, SIGTERM, SIGHUP and SIGQUIT interrupt. With `hup_reloads`,
// SIGHUP instead only raises the reload flag (watch mode reopens its log).
void install_interrupt_handlers(bool hup_reloads = false);
// The first interrupting signal received, or 0.
int interrupt_signal();
bool interrupted();
// How many interrupting signals have arrived (watch mode: the second one
// kills the running jobs).
int interrupt_count();
// True once per SIGHUP received since the last call.
bool take_reload_request();
// For tests: forget received signals.

}  // namespace pyjudge
