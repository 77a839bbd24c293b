#include "interrupt.h"

#include <atomic>
#include <csignal>

namespace pyjudge {

namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_signal(int sig) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, sig);
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaction(sig, &sa, nullptr);
  // A closed output pipe must be an error value, not the end of the judge.
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, nullptr);
}

int interrupt_signal() { return g_signal.load(); }
bool interrupted() { return g_signal.load() != 0; }
void clear_interrupt() { g_signal.store(0); }

}  // namespace pyjudge
