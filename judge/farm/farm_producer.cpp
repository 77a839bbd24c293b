#include "judge/farm/farm_producer.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/farm/farm_keys.h"
#include "judge/farm/farm_message.h"
#include "judge/farm/farm_state_file.h"
#include "judge/farm/redis_link.h"
#include "runner/job/files.h"
#include "runner/sandbox/job_runner.h"
#include "runner/sandbox/session.h"
#include "runner/shared/interrupt.h"
#include "runner/shared/random.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// A lost producer's batch waits this long in Redis for its --resume.
constexpr int kBatchTtlS = 24 * 3600;
constexpr std::chrono::seconds kMaxOutage{120};
constexpr std::chrono::seconds kReconcileEvery{5};

struct UnitState {
  std::vector<std::size_t> jobs;  // entry indices
  std::string entry_id;           // its stream entry, once enqueued
  std::size_t remaining = 0;      // jobs without a result yet
  int resent = 0;                 // times it was found lost and sent again
};

// A unit lost this many times is not sent again: its jobs are IE. (A worker
// that rejects a unit answers for the jobs it can name; this ends the rest.)
constexpr int kMaxResends = 3;

std::string unit_key(std::size_t u) { return "u" + std::to_string(u); }

class FarmBatch {
 public:
  FarmBatch(BatchOutcome& outcome, const BatchOptions& opt, const FarmTarget& farm, const std::string& label,
            const OnJobEnd& on_end, const OnTick& on_tick)
      : outcome_(outcome),
        entries_(outcome.entries),
        opt_(opt),
        keys_{farm.queue},
        link_(farm.url, kMaxOutage),
        url_shown_(farm.url.shown()),
        state_file_(opt.out, label),
        on_end_(on_end),
        on_tick_(on_tick) {}

  void run() {
    take_resumed();
    if (units_.empty()) return;
    if (auto s = link_.connect(); !s) return give_up(s.error().message);
    if (!opt_.resume) cancel_earlier_batch();
    batch_ = resumed_batch_id().value_or(random_hex(12));
    state_file_.write(url_shown_, keys_.name(), batch_);
    if (!start()) return;
    wait();
  }

 private:
  // --resume keeps complete results; the other jobs make the units to send.
  void take_resumed() {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      index_.emplace(entries_[i].job.id, i);
      resume_entry(entries_[i], opt_, on_end_);
    }
    const auto units = units_of(entries_);
    for (std::size_t u = 0; u < units.size(); ++u) {
      UnitState s{units[u], {}, 0, 0};
      for (std::size_t i : s.jobs) {
        unit_of_[i] = u;
        if (entries_[i].state == EntryState::Pending) ++s.remaining;
      }
      if (s.remaining > 0) units_.emplace(u, std::move(s));
    }
  }

  Expected<RedisReply> cmd(const std::vector<std::string_view>& args) {
    return link_.run(args, [] { return interrupted(); });
  }

  // The queue is lost for good: what has no result stays Pending, and the
  // batch stays in Redis for --resume.
  void give_up(const std::string& why) {
    if (interrupted()) return cancel(EntryState::Pending);
    outcome_.error = "the queue failed: " + why;
  }

  std::optional<std::string> resumed_batch_id() const {
    if (!opt_.resume) return std::nullopt;
    auto id = state_file_.batch_for(keys_.name());
    if (id) spdlog::info("queue: resuming batch {}", *id);
    return id;
  }

  // Starting afresh in an OUT whose producer was lost: its batch would go
  // on taking the workers' time, so it is cancelled (the workers drop its
  // units).
  void cancel_earlier_batch() {
    const auto id = state_file_.batch_for(keys_.name());
    if (!id) return;
    spdlog::warn("queue: cancelling batch {}, left in {} by a producer that was lost (--resume would have taken it up)",
                 *id, opt_.out.string());
    drop_batch_keys(*id, [] { return interrupted(); });
  }

  // Marks the batch alive, collects what a lost producer's workers already
  // recorded, and sends every unit not on the queue.
  bool start() {
    const auto [host, pid] = std::pair{runner::Session::current().host, ::getpid()};
    const std::string producer = host + ":" + std::to_string(pid);
    if (auto r = cmd({"HSET", keys_.batch(batch_), "producer", producer}); !r) {
      give_up(r.error().message);
      return false;
    }
    if (opt_.resume) {
      if (!drain_results()) return false;
      if (auto r = cmd({"HGETALL", keys_.batch(batch_)}); r) {
        for (std::size_t k = 0; k + 1 < reply_size(**r); k += 2) {
          const std::string_view f = reply_text(reply_at(**r, k));
          if (!f.starts_with("u:")) continue;
          const auto u = std::strtoul(std::string(f.substr(2)).c_str(), nullptr, 10);
          if (auto it = units_.find(u); it != units_.end()) {
            it->second.entry_id = std::string(reply_text(reply_at(**r, k + 1)));
            sent_.push_back(it->second.entry_id);
          }
        }
      }
    }
    return reconcile();
  }

  void wait() {
    auto last_reconcile = std::chrono::steady_clock::now();
    int seen_reconnects = link_.reconnects();
    while (!units_.empty()) {
      if (interrupted()) return cancel(EntryState::Pending);
      if (fail_fast_hit_) return cancel(EntryState::Skipped);
      auto r = cmd({"XREAD", "COUNT", "64", "BLOCK", "500", "STREAMS", keys_.results(batch_), last_result_});
      if (!r) return give_up(r.error().message);
      for (const auto& e : read_entries(**r)) take_result(e);
      if (on_tick_) on_tick_();
      const auto now = std::chrono::steady_clock::now();
      if (link_.reconnects() != seen_reconnects || now - last_reconcile > kReconcileEvery) {
        // After a reconnect Redis may have restarted: read the results anew.
        if (link_.reconnects() != seen_reconnects) last_result_ = "0-0";
        seen_reconnects = link_.reconnects();
        last_reconcile = now;
        if (!reconcile()) return;
      }
    }
    finish();
  }

  // Reads every result there is now; false when the queue failed.
  bool drain_results() {
    for (;;) {
      auto r = cmd({"XREAD", "COUNT", "256", "STREAMS", keys_.results(batch_), last_result_});
      if (!r) {
        give_up(r.error().message);
        return false;
      }
      const auto entries = read_entries(**r);
      for (const auto& e : entries) take_result(e);
      if (entries.empty()) return true;
    }
  }

  void take_result(const StreamEntry& entry) {
    last_result_ = entry.id;
    auto res = decode_result(entry.fields);
    if (!res) {
      spdlog::warn("queue: result {} ignored: {}", entry.id, res.error().message);
      return;
    }
    const auto it = index_.find(res->result.id);
    if (it == index_.end()) {
      spdlog::warn("queue: result {} is for job '{}', which is not in this batch", entry.id, res->result.id);
      return;
    }
    BatchEntry& e = entries_[it->second];
    if (e.state != EntryState::Pending) return;  // recorded already (read again after a reconnect)
    // Held to the caps this producer sent, not to those the result claims.
    if (static_cast<std::int64_t>(res->out.size()) > e.job.limits.stdout_limit_bytes ||
        static_cast<std::int64_t>(res->err.size()) > e.job.limits.stderr_limit_bytes)
      return fail_job(it->second, runner::ie_result(e.job, runner::IeReason::ProtocolError,
                                                    "the worker's result has more output than the job's limits allow"));
    runner::JobResult r = std::move(res->result);
    if (auto s = write_results(e.job, r, res->out, res->err); !s) {
      r = runner::ie_result(e.job, runner::IeReason::SetupError, "cannot write results: " + s.error().message);
    }
    job_done(it->second, std::move(r));
  }

  // OUT/ID/{stdout,stderr,result.json}, result.json last, as a local run.
  Status write_results(const runner::Job& job, const runner::JobResult& r, std::string_view out,
                       std::string_view err) const {
    const fs::path dir = runner::result_dir_of(opt_.out, job);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return fail("cannot create " + dir.string() + ": " + ec.message());
    Status s = runner::write_file_atomic(dir / "stdout", out);
    if (s) s = runner::write_file_atomic(dir / "stderr", err);
    if (s)
      s = runner::write_file_atomic(dir / "result.json",
                                    to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return s;
  }

  // An IE the producer itself decided: result.json written, as for any job.
  void fail_job(std::size_t i, runner::JobResult r) {
    if (auto s = write_results(entries_[i].job, r, "", ""); !s) spdlog::error("queue: {}", s.error().message);
    job_done(i, std::move(r));
  }

  void job_done(std::size_t i, runner::JobResult r) {
    BatchEntry& e = entries_[i];
    e.result = std::move(r);
    e.state = EntryState::Done;
    if (on_end_) on_end_(e);
    if (opt_.fail_fast && e.result.status() != 0) fail_fast_hit_ = true;
    const auto u = unit_of_.at(i);
    if (auto it = units_.find(u); it != units_.end() && --it->second.remaining == 0) units_.erase(it);
  }

  // Sends unit u's jobs that have no result yet.
  bool enqueue(std::size_t u) {
    UnitState& unit = units_.at(u);
    std::vector<const runner::Job*> jobs;
    for (std::size_t i : unit.jobs)
      if (entries_[i].state == EntryState::Pending) jobs.push_back(&entries_[i].job);
    auto fields = encode_unit(batch_, unit_key(u), !jobs.front()->group.empty(), jobs);
    if (!fields) {
      for (std::size_t i : std::vector<std::size_t>(unit.jobs))
        if (entries_[i].state == EntryState::Pending)
          fail_job(i, runner::ie_result(entries_[i].job, runner::IeReason::InputError, fields.error().message));
      return true;
    }
    auto r = cmd(command_args({"XADD", keys_.jobs(), "*"}, *fields));
    if (!r) {
      give_up(r.error().message);
      return false;
    }
    unit.entry_id = std::string(reply_text(**r));
    sent_.push_back(unit.entry_id);
    const std::string field = "u:" + std::to_string(u);
    if (auto h = cmd({"HSET", keys_.batch(batch_), field, unit.entry_id}); !h) {
      give_up(h.error().message);
      return false;
    }
    return true;
  }

  // A lost producer's batch expires a day after its last sign of life.
  bool keep_alive() {
    const std::string ttl = std::to_string(kBatchTtlS);
    const auto keys = keys_.of_batch(batch_);
    return std::all_of(keys.begin(), keys.end(), [&](const std::string& key) {
      auto r = cmd({"EXPIRE", key, ttl});
      if (!r) give_up(r.error().message);
      return static_cast<bool>(r);
    });
  }

  // Keeps the batch alive and re-sends every unit that is neither on the
  // queue nor done: a unit a Redis restart lost, or one never sent.
  bool reconcile() {
    if (!keep_alive()) return false;
    std::vector<std::size_t> lost;
    for (const auto& [u, unit] : units_) {
      if (!unit.entry_id.empty()) {
        auto r = cmd({"XRANGE", keys_.jobs(), unit.entry_id, unit.entry_id});
        if (!r) {
          give_up(r.error().message);
          return false;
        }
        if (reply_size(**r) > 0) continue;
      }
      lost.push_back(u);
    }
    if (lost.empty()) return true;
    // A worker records a unit's results before it removes the unit's entry,
    // so what is not among the results now was lost with the entry.
    if (!drain_results()) return false;
    return std::all_of(lost.begin(), lost.end(), [&](std::size_t u) { return send_again(u); });
  }

  // Unit u is neither done nor queued: it goes again, or after too many
  // losses its jobs are IE. False when the queue failed.
  bool send_again(std::size_t u) {
    if (!units_.contains(u)) return true;
    UnitState& unit = units_.at(u);
    if (!unit.entry_id.empty()) {
      if (++unit.resent > kMaxResends) {
        give_up_on(u);
        return true;
      }
      spdlog::warn("queue: unit {} was lost from the queue; sending it again", u);
    }
    for (std::size_t i : unit.jobs)
      if (entries_[i].state == EntryState::Pending) (void)cmd({"HDEL", keys_.done(batch_), entries_[i].job.id});
    return enqueue(u);
  }

  void give_up_on(std::size_t u) {
    const std::string why = "its unit was lost from the queue " + std::to_string(kMaxResends + 1) +
                            " times (did a worker reject it? see " + keys_.rejected() + ")";
    spdlog::error("queue: unit {}: {}", u, why);
    for (std::size_t i : std::vector<std::size_t>(units_.at(u).jobs))
      if (entries_[i].state == EntryState::Pending)
        fail_job(i, runner::ie_result(entries_[i].job, runner::IeReason::SetupError, why));
  }

  // Removes the batch's entries from the queue, pending ones included.
  void remove_entries() {
    for (std::size_t k = 0; k < sent_.size(); k += 256) {
      const auto end = std::min(sent_.size(), k + 256);
      std::vector<std::string_view> del = {"XDEL", keys_.jobs()};
      std::vector<std::string_view> ack = {"XACK", keys_.jobs(), kFarmGroup};
      for (std::size_t i = k; i < end; ++i) {
        ack.emplace_back(sent_[i]);
        del.emplace_back(sent_[i]);
      }
      (void)link_.run(del, second_interrupt);  // deleted first, as a worker does
      (void)link_.run(ack, second_interrupt);
    }
  }

  // The batch's marker goes first: workers then drop its units.
  void drop_batch_keys(const std::string& id, const std::function<bool()>& give_up) {
    for (const auto& key : keys_.of_batch(id)) (void)link_.run({"DEL", key}, give_up);
  }

  static bool second_interrupt() { return interrupt_count() >= 2; }

  // Interrupt or fail-fast: the workers drop the batch's units (its key goes
  // first), nothing of it stays on the queue, and what has no result is
  // `rest` (not run, or skipped).
  void cancel(EntryState rest) {
    drop_batch_keys(batch_, second_interrupt);
    remove_entries();
    state_file_.remove();
    for (auto& e : entries_)
      if (e.state == EntryState::Pending) e.state = rest;
    units_.clear();
  }

  void finish() {
    drop_batch_keys(batch_, second_interrupt);
    remove_entries();  // a worker killed after recording may still hold one
    state_file_.remove();
  }

  BatchOutcome& outcome_;
  std::vector<BatchEntry>& entries_;
  const BatchOptions& opt_;
  const FarmKeys keys_;
  RedisLink link_;
  const std::string url_shown_;
  const FarmStateFile state_file_;
  const OnJobEnd& on_end_;
  const OnTick& on_tick_;
  std::string batch_;
  std::map<std::string, std::size_t> index_;    // job id -> entry
  std::map<std::size_t, std::size_t> unit_of_;  // entry -> unit
  std::map<std::size_t, UnitState> units_;      // the units without all their results
  std::vector<std::string> sent_;               // every entry id this batch used
  std::string last_result_ = "0-0";
  bool fail_fast_hit_ = false;
};

}  // namespace

BatchOutcome run_farm_batch(std::vector<runner::Job> jobs, const BatchOptions& opt, const FarmTarget& farm,
                            const std::string& label, const OnJobEnd& on_end, const OnTick& on_tick) {
  BatchOutcome outcome;
  outcome.entries.reserve(jobs.size());
  for (auto& j : jobs) outcome.entries.push_back(BatchEntry{std::move(j), EntryState::Pending, {}});
  const auto t0 = std::chrono::steady_clock::now();
  FarmBatch(outcome, opt, farm, label, on_end, on_tick).run();
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  outcome.signal = interrupt_signal();
  return outcome;
}

}  // namespace pyjudge::judge
