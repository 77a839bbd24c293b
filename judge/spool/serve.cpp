#include "judge/spool/serve.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/exit_codes.h"
#include "judge/spool/dispatch.h"
#include "judge/spool/inbox.h"
#include "judge/spool/spool.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The inbox side of run_watch: names noticed (inotify, or a listing), the
// settle queue, and the status line.
class InboxLoop {
 public:
  InboxLoop(const SpoolOptions& opt, Dispatcher& w, std::optional<Inbox>& watcher)
      : opt_(opt),
        w_(w),
        watcher_(watcher),
        inbox_(w.spool().inbox()),
        queue_(opt.once ? Clock::duration::zero() : Clock::duration(opt.settle)) {}

  void note_names(const std::vector<std::string>& names) {
    const auto now = Clock::now();
    for (const auto& name : names) {
      std::string id;
      const auto kind = Spool::kind_of(name, id);
      if (kind == Spool::NameKind::Ignored) continue;
      if (kind != Spool::NameKind::Invalid) {
        queue_.note(id, now);
        continue;
      }
      if (std::error_code ec; fs::exists(inbox_ / name, ec))
        w_.reject_file(name, "'" + name +
                                 "' is not a job file: use ID.py, ID.in or ID.json with an ID of 1-64 of A-Z a-z "
                                 "0-9 . _ -");
    }
  }

  void list_inbox() { note_names(list_names(inbox_)); }

  // Claims what has settled; false when --once has nothing left to do.
  bool claim_due(const Executor& pool) {
    const auto now = Clock::now();
    for (const auto& d : queue_.take_due(now)) w_.consider(queue_, d, now);
    return !(opt_.once && queue_.empty() && pool.in_flight() == 0);
  }

  // Sleeps until an arrival or the next due entry, at most 100 ms.
  void wait() {
    const auto next = queue_.next_due();
    long long wait_ms = 100;
    if (next != Clock::time_point::max())
      wait_ms = std::clamp<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count(), 0, 100);
    if (!watcher_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      return;
    }
    pollfd p{watcher_->fd(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait_ms)) <= 0) return;
    bool overflowed = false;
    note_names(watcher_->read_names(overflowed));
    if (overflowed) list_inbox();
  }

  void report_status(const std::function<void(const std::string&)>& status) {
    if (!status || Clock::now() - last_status_ <= std::chrono::seconds(1)) return;
    last_status_ = Clock::now();
    std::error_code ec;
    std::size_t waiting = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(inbox_, ec)) ++waiting;
    status(fmt::format("inbox {} | {}", waiting, w_.status_line()));
  }

 private:
  const SpoolOptions& opt_;
  Dispatcher& w_;
  std::optional<Inbox>& watcher_;
  fs::path inbox_;
  SettleQueue queue_;
  Clock::time_point last_status_ = Clock::now();
};

// One watcher per spool: a second one would judge the first one's claims again.
Expected<UniqueFd> lock_spool(const fs::path& spool) {
  const fs::path lock_file = spool / ".lock";
  UniqueFd lock(::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0)
    return fail("another pyjudge watch is serving " + spool.string() + " (" + lock_file.string() + " is locked)");
  return lock;
}

}  // namespace

Expected<SpoolCounts> serve_spool(const SpoolOptions& opt, Executor& executor, const std::function<void()>& on_reload,
                                  const std::function<void(const std::string&)>& status) {
  auto spool = Spool::open(opt.spool);
  if (!spool) return spool.error();
  std::optional<Inbox> watcher;
  if (!opt.once) {
    auto w = Inbox::open(spool->inbox());
    if (!w) return w.error();
    watcher.emplace(std::move(*w));
  }
  auto lock = lock_spool(opt.spool);
  if (!lock) return lock.error();

  Dispatcher w(opt, std::move(*spool), executor);
  // Declared after `w`, so destroyed before it: no task may outlive the
  // Dispatcher it runs on, even when the loop below throws.
  struct WaitForTasks {
    Executor& executor;
    explicit WaitForTasks(Executor& e) : executor(e) {}
    WaitForTasks(const WaitForTasks&) = delete;
    WaitForTasks& operator=(const WaitForTasks&) = delete;
    WaitForTasks(WaitForTasks&&) = delete;
    WaitForTasks& operator=(WaitForTasks&&) = delete;
    ~WaitForTasks() { executor.wait(); }
  } wait_for_tasks{executor};
  w.recover();

  InboxLoop loop(opt, w, watcher);
  loop.list_inbox();
  spdlog::info("watching {} ({} jobs at once{})", opt.spool.string(), executor.options().concurrency,
               opt.problem ? ", grading against " + opt.problem->name : "");
  for (;;) {
    if (take_reload_request() && on_reload) on_reload();
    if (interrupted()) break;  // stop claiming; running jobs end by themselves
    if (!loop.claim_due(executor)) break;
    loop.wait();
    loop.report_status(status);
  }
  if (interrupted())
    spdlog::warn("signal {}: no more claims; waiting for {} running job(s) (a second signal kills them)",
                 interrupt_signal(), executor.in_flight());
  executor.wait();
  return w.counts();
}

}  // namespace pyjudge::judge
