#include "judge/farm/farm_worker.h"

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "judge/farm/farm_keys.h"
#include "judge/farm/farm_message.h"
#include "judge/farm/farm_recorder.h"
#include "judge/worker_pool.h"
#include "runner/engine/engine.h"
#include "runner/job/files.h"
#include "runner/sandbox/cleanup.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The main loop's commands give up at the first signal (it then drains);
// the pool's, which record results, only at the second.
bool signalled() { return interrupt_count() >= 1; }
bool killed() { return interrupt_count() >= 2; }

struct RunningUnit {
  std::string entry_id;
  std::string batch;
  std::string unit;
  bool shared = false;
  std::vector<runner::Job> jobs;
  fs::path dir;
  std::atomic<bool> cancelled{false};  // the batch is gone
  std::atomic<bool> finished{false};
};

// However a unit's run ends (an exception too), its slot frees and its
// scratch folder goes.
class UnitEnd {
 public:
  UnitEnd(RunningUnit& ru, std::atomic<std::size_t>& count) : ru_(ru), count_(count) {}
  UnitEnd(const UnitEnd&) = delete;
  UnitEnd& operator=(const UnitEnd&) = delete;
  UnitEnd(UnitEnd&&) = delete;
  UnitEnd& operator=(UnitEnd&&) = delete;
  ~UnitEnd() {
    std::error_code ec;
    fs::remove_all(ru_.dir, ec);
    count_.fetch_add(1);
    ru_.finished = true;
  }

 private:
  RunningUnit& ru_;
  std::atomic<std::size_t>& count_;
};

// Writes the unit's blobs into `dir` and makes its jobs, with this worker's
// runtime.
Expected<std::vector<runner::Job>> materialize(const FarmUnit& unit, const fs::path& dir, const std::string& runtime) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail("cannot create " + dir.string() + ": " + ec.message());
  for (std::size_t i = 0; i < unit.blobs.size(); ++i)
    if (auto s = runner::write_file_atomic(dir / ("b" + std::to_string(i)), unit.blobs[i]); !s) return s.error();
  std::vector<runner::Job> jobs;
  for (const auto& fj : unit.jobs) {
    runner::Job j;
    j.id = fj.id;
    j.script = dir / ("b" + std::to_string(fj.script));
    if (fj.stdin_blob) j.stdin_file = dir / ("b" + std::to_string(*fj.stdin_blob));
    for (const auto& [name, b] : fj.files) j.files.emplace_back(name, dir / ("b" + std::to_string(b)));
    j.limits = fj.limits;
    j.limits.runtime = runtime;
    j.module = fj.module;
    j.collect = fj.collect;
    j.result_dir = "r" + std::to_string(jobs.size());  // the id never makes a path here
    if (unit.shared) j.group = unit.unit;
    jobs.push_back(std::move(j));
  }
  return jobs;
}

class Worker {
 public:
  Worker(const WorkerOptions& opt, const runner::Session& session, const runner::Endpoint& endpoint)
      : opt_(opt),
        session_(session),
        keys_{opt.farm.queue},
        control_(opt.farm.url, std::chrono::seconds(0)),
        records_(opt.farm, opt.name, killed),
        engine_(endpoint),
        pool_(opt.slots, endpoint) {}

  WorkerOutcome run() {
    if (auto s = control_.connect(); !s) spdlog::warn("queue: {}", s.error().message);
    if (auto s = records_.connect(); !s) spdlog::warn("queue: {}", s.error().message);
    (void)ensure_farm_group(control_, keys_.name());
    spdlog::info("worker {}: {} slot(s) on queue {} at {}", opt_.name, opt_.slots, keys_.name(), opt_.farm.url.shown());
    auto next_heartbeat = Clock::now();
    auto next_check = Clock::now();
    auto next_reap = Clock::now() + opt_.lease;
    for (;;) {
      forget_finished();
      if (interrupt_count() > 0 && !draining_) {
        draining_ = true;
        spdlog::warn("worker {}: draining: no new jobs; {} unit(s) running (a second signal kills them)", opt_.name,
                     running_.size());
      }
      if (draining_ && running_.empty()) break;
      const auto now = Clock::now();
      if (now >= next_heartbeat) {
        heartbeat();
        next_heartbeat = now + opt_.lease / 3;
      }
      if (now >= next_check) {
        check_cancelled();
        next_check = now + std::chrono::seconds(1);
      }
      if (now >= next_reap) {
        reap();
        next_reap = now + opt_.lease;
      }
      // A full worker looks again soon: a slot that frees should not idle.
      if (draining_ || free_slots() == 0 || !pull()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pool_.wait();
    if (!killed()) leave_group();
    WorkerOutcome out;
    out.signal = interrupt_signal();
    out.killed = killed();
    out.units = units_done_.load();
    out.rejected = rejected_;
    return out;
  }

 private:
  int free_slots() const { return opt_.slots - static_cast<int>(running_.size()); }

  // A worker that stops cleanly takes its name out of the group, unless an
  // entry is still pending on it (deleting the name would orphan that entry).
  void leave_group() {
    auto pending = control_.run({"XPENDING", keys_.jobs(), kFarmGroup, "-", "+", "1", opt_.name}, killed);
    if (pending && reply_size(**pending) == 0)
      (void)control_.run({"XGROUP", "DELCONSUMER", keys_.jobs(), kFarmGroup, opt_.name}, killed);
  }

  void forget_finished() {
    for (auto it = running_.begin(); it != running_.end();)
      it = it->second->finished.load() ? running_.erase(it) : std::next(it);
  }

  // Takes over units whose worker's lease ran out, then new ones. False when
  // there was nothing to take (the caller waits a little).
  bool pull() {
    bool took = false;
    if (Clock::now() >= next_autoclaim_) {
      next_autoclaim_ = Clock::now() + std::chrono::seconds(1);
      const std::string lease_ms = std::to_string(opt_.lease.count() * 1000);
      const std::string count = std::to_string(free_slots());
      auto r = control_.run(
          {"XAUTOCLAIM", keys_.jobs(), kFarmGroup, opt_.name, lease_ms, claim_cursor_, "COUNT", count}, signalled);
      // Redis looks at COUNT x 10 pending entries per call: go on from there.
      if (r && reply_size(**r) >= 1)
        claim_cursor_ = is_valid_stream_id(reply_text(reply_at(**r, 0))) ? reply_text(reply_at(**r, 0)) : "0-0";
      if (r && reply_size(**r) >= 2)
        for (const auto& e : stream_entries(reply_at(**r, 1))) {
          if (running_.contains(e.id)) continue;  // ours already (its lease lapsed while Redis was away)
          spdlog::warn("worker {}: taking over unit {} from a worker whose lease ran out", opt_.name,
                       farm_excerpt(e.id, 64));
          start(e, true);
          took = true;
        }
      else if (!r && r.error().message.starts_with("NOGROUP"))
        (void)ensure_farm_group(control_, keys_.name());
    }
    if (free_slots() == 0) return true;
    const std::string count = std::to_string(free_slots());
    auto r = control_.run(
        {"XREADGROUP", "GROUP", kFarmGroup, opt_.name, "COUNT", count, "BLOCK", "1000", "STREAMS", keys_.jobs(), ">"},
        signalled);
    if (!r) {
      if (r.error().message.starts_with("NOGROUP")) (void)ensure_farm_group(control_, keys_.name());
      return took;
    }
    for (const auto& e : read_entries(**r)) {
      start(e, false);
      took = true;
    }
    return took;
  }

  // Renews the lease on every unit this worker runs.
  void heartbeat() {
    if (running_.empty()) return;
    std::vector<std::string_view> args = {"XCLAIM", keys_.jobs(), kFarmGroup, opt_.name, "0"};
    for (const auto& [id, _] : running_) args.emplace_back(id);
    args.emplace_back("JUSTID");
    (void)control_.run(args, killed);  // also while draining
  }

  // A unit whose batch is gone (its producer was interrupted) stops.
  void check_cancelled() {
    std::map<std::string, bool> alive;
    for (const auto& [id, ru] : running_) {
      if (!alive.contains(ru->batch)) {
        auto r = control_.run({"EXISTS", keys_.batch(ru->batch)}, killed);
        alive[ru->batch] = !r || reply_integer(**r) != 0;  // unknown: keep going
      }
      if (!alive[ru->batch] && !ru->cancelled.exchange(true))
        spdlog::warn("worker {}: batch {} was cancelled; stopping unit {}", opt_.name, ru->batch, id);
    }
  }

  // Containers of workers on this engine that died (kill -9).
  void reap() {
    if (auto n = runner::remove_orphan_containers(engine_, session_, false); n && n->removed > 0)
      spdlog::warn("worker {}: removed {} container(s) of dead pyjudge processes", opt_.name, n->removed);
  }

  // Why a unit that other workers took before must not run again, if so.
  std::optional<std::string> poisoned(const StreamEntry& e) {
    const auto n = farm_deliveries(control_, keys_, e.id, signalled);
    if (!n || *n <= kMaxFarmDeliveries) return std::nullopt;
    return "delivered " + std::to_string(*n) + " times (the farm's cap is " + std::to_string(kMaxFarmDeliveries) +
           "), and every worker that took it stopped or died before it ended (out of memory?)";
  }

  // Everything in an entry is checked before it touches this machine: its id
  // names the scratch folder, its fields the files and limits.
  void start(const StreamEntry& e, bool taken_over) {
    if (!is_valid_stream_id(e.id)) {
      ++rejected_;
      return records_.reject(e, "'" + farm_excerpt(e.id, 64) + "' is not a stream entry id (<digits>-<digits>)");
    }
    auto unit = decode_unit(e.fields);
    if (auto why = taken_over ? poisoned(e) : std::nullopt) {
      ++rejected_;
      return records_.reject(e, *why + (unit ? "" : "; " + unit.error().message));
    }
    if (!unit) {
      ++rejected_;
      return records_.reject(e, unit.error().message);
    }
    auto batch = control_.run({"EXISTS", keys_.batch(unit->batch)}, signalled);
    if (batch && reply_integer(**batch) == 0) {
      spdlog::info("worker {}: unit {} belongs to a finished or cancelled batch; dropped", opt_.name, e.id);
      return remove_farm_entry(control_, keys_, e.id, killed);
    }
    auto ru = std::make_shared<RunningUnit>();
    ru->entry_id = e.id;
    ru->batch = unit->batch;
    ru->unit = unit->unit;
    ru->shared = unit->shared;
    ru->dir = opt_.scratch / e.id;  // digits and a dash: checked above
    auto jobs = materialize(*unit, ru->dir, opt_.runtime);
    if (!jobs) {
      spdlog::error("worker {}: unit {}: {}; left for another worker", opt_.name, e.id, jobs.error().message);
      std::error_code ec;
      fs::remove_all(ru->dir, ec);
      return;
    }
    ru->jobs = std::move(*jobs);
    running_.emplace(e.id, ru);
    spdlog::info("worker {}: unit {} ({} job(s) of batch {})", opt_.name, e.id, ru->jobs.size(), ru->batch);
    pool_.submit([this, ru] { run_unit(*ru); });
  }

  // Whether `job` can run here at all: the same validation as a local job,
  // and limits this engine can honour. The IE result says why not.
  std::optional<runner::JobResult> refusal(const runner::Job& job) const {
    std::string why;
    runner::Job checked = job;
    checked.id = "farm-job";  // its id was checked by decode_unit, under the wire format's own rule
    if (auto s = validate(checked); !s)
      why = s.error().message;
    else if (auto beyond = runner::limits_beyond(job.limits, opt_.capacity))
      why = "this worker's engine cannot honour the job's limits: " + *beyond;
    if (why.empty()) return std::nullopt;
    runner::JobResult r = runner::ie_result(job, runner::IeReason::InputError, why);
    r.image = opt_.image;
    return r;
  }

  void run_unit(RunningUnit& ru) {
    const UnitEnd end(ru, units_done_);
    const auto abort = [&ru] { return ru.cancelled.load() || killed(); };
    const runner::RunContext ctx{opt_.image, ru.dir / "out", session_, 1, abort, opt_.seccomp, opt_.zygote};
    const std::set<std::string> done = records_.recorded(ru.batch, ru.jobs);
    std::vector<const runner::Job*> runnable;
    for (const auto& job : ru.jobs) {
      if (done.contains(job.id)) continue;
      if (auto r = refusal(job)) {
        r->worker = opt_.name;
        if (records_.record(ru.batch, ru.unit, *r, "", "") == FarmRecorder::Outcome::BatchGone) ru.cancelled = true;
      } else {
        runnable.push_back(&job);
      }
    }
    std::size_t ended = ru.jobs.size() - runnable.size();
    const auto on_result = [&](std::size_t k, const runner::JobResult& res) {
      if (res.interrupted) return;
      ++ended;
      runner::JobResult r = res;
      r.worker = opt_.name;
      if (records_.record_outputs(ru.batch, ru.unit, r, runner::result_dir_of(ctx.out_dir, *runnable[k]),
                                  runnable[k]->limits) == FarmRecorder::Outcome::BatchGone)
        ru.cancelled = true;
    };
    if (ru.shared) {
      pool_.run_group_with_retries(runnable, ctx, opt_.retries, on_result, abort);
    } else {
      for (std::size_t k = 0; k < runnable.size() && !abort(); ++k)
        pool_.run_group_with_retries(
            {runnable[k]}, ctx, opt_.retries, [&](std::size_t, const runner::JobResult& r) { on_result(k, r); }, abort);
    }
    // Killed mid-unit: the entry stays pending, and goes to another worker
    // when its lease runs out. Otherwise it is done (or its batch is gone).
    if (!killed() || ended == ru.jobs.size()) records_.remove_entry(ru.entry_id);
  }

  const WorkerOptions& opt_;
  const runner::Session& session_;
  const FarmKeys keys_;
  RedisLink control_;      // the main loop's
  FarmRecorder records_;   // the pool's: results and acknowledgements
  runner::Engine engine_;  // the reaping's
  WorkerPool pool_;
  std::map<std::string, std::shared_ptr<RunningUnit>> running_;
  bool draining_ = false;
  Clock::time_point next_autoclaim_ = Clock::now();
  std::string claim_cursor_ = "0-0";
  std::atomic<std::size_t> units_done_{0};
  std::size_t rejected_ = 0;
};

}  // namespace

Status prepare_farm_queue(const FarmTarget& farm, const std::string& consumer) {
  RedisLink link(farm.url, std::chrono::seconds(0));
  if (auto s = link.connect(); !s) return s;
  if (auto s = ensure_farm_group(link, farm.queue); !s)
    return fail("Redis at " + farm.url.shown() + " refused the queue's set-up: " + s.error().message);
  // Claims nothing (no entry is idle that long); fails on a Redis before 6.2.
  const FarmKeys keys(farm.queue);
  auto probe =
      link.run({"XAUTOCLAIM", keys.jobs(), kFarmGroup, consumer, "2000000000", "0-0", "COUNT", "1", "JUSTID"}, killed);
  if (!probe)
    return fail("Redis at " + farm.url.shown() + " cannot run the farm (it needs Redis 6.2 or later, and an ACL " +
                "user with the worker's rights on " + farm.queue +
                ":*, as scripts/farm-acl.sh makes): " + probe.error().message);
  return ok();
}

Status ensure_farm_group(RedisLink& link, const std::string& queue) {
  const FarmKeys keys(queue);
  auto r = link.run({"XGROUP", "CREATE", keys.jobs(), kFarmGroup, "0", "MKSTREAM"}, killed);
  if (!r && !r.error().message.starts_with("BUSYGROUP")) return r.error();
  return ok();
}

WorkerOutcome run_worker(const WorkerOptions& opt, const runner::Session& session, const runner::Endpoint& endpoint) {
  std::error_code ec;
  fs::create_directories(opt.scratch, ec);
  WorkerOutcome out;
  {
    Worker w(opt, session, endpoint);
    out = w.run();
  }
  runner::Engine engine(endpoint);
  if (auto n = runner::remove_session_containers(engine, session); n && *n > 0)
    spdlog::warn("worker: removed {} container(s) of its own still present at its end", *n);
  // And those of workers that died since the last look.
  if (auto n = runner::remove_orphan_containers(engine, session, false); n && n->removed > 0)
    spdlog::warn("worker: removed {} container(s) of dead pyjudge processes", n->removed);
  fs::remove_all(opt.scratch, ec);
  return out;
}

}  // namespace pyjudge::judge
