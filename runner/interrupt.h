// Interrupts: SIGINT, SIGTERM, SIGHUP and SIGQUIT only record which signal
// came first; the code that owns containers polls for it and cleans up.
#pragma once

namespace pyjudge {

void install_interrupt_handlers();
// The first signal received, or 0.
int interrupt_signal();
bool interrupted();
// For tests: forget a received signal.
void clear_interrupt();

}  // namespace pyjudge
