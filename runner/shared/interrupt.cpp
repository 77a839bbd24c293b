#include "runner/shared/interrupt.h"

#include <atomic>
#include <csignal>

namespace pyjudge {

namespace {

// What the signal handlers record: a handler can reach nothing but globals.
std::atomic<int> g_signal{0};       // NOLINT(cppcoreguidelines-avoid-non-const-global-variables): set by on_interrupt
std::atomic<int> g_count{0};        // NOLINT(cppcoreguidelines-avoid-non-const-global-variables): set by on_interrupt
std::atomic<bool> g_reload{false};  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables): set by on_reload
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt(int sig) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, sig);
  g_count.fetch_add(1);
}

extern "C" void on_reload(int /*sig*/) { g_reload.store(true); }

}  // namespace

void install_interrupt_handlers(bool hup_reloads) {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaction(sig, &sa, nullptr);
  if (hup_reloads) {
    struct sigaction hup {};
    hup.sa_handler = on_reload;
    sigemptyset(&hup.sa_mask);
    hup.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &hup, nullptr);
  }
  // A closed output pipe must be an error value, not the end of the judge.
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, nullptr);
}

int interrupt_signal() { return g_signal.load(); }
bool interrupted() { return g_signal.load() != 0; }
int interrupt_count() { return g_count.load(); }
bool take_reload_request() { return g_reload.exchange(false); }

}  // namespace pyjudge
