#include "watch.h"

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

#include "exit_codes.h"
#include "files.h"
#include "grade.h"
#include "inbox_watcher.h"
#include "interrupt.h"
#include "job.h"
#include "report.h"
#include "spool.h"
#include "worker_pool.h"

namespace pyjudge::cli {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// In watch mode the first signal stops claiming and lets running jobs end;
// only a second one kills them.
bool second_signal() { return interrupt_count() >= 2; }

Expected<nlohmann::json> read_json_object(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return fail(p.filename().string() + ": unreadable");
  try {
    auto j = nlohmann::json::parse(in);
    if (!j.is_object()) return fail(p.filename().string() + ": must be a JSON object");
    return j;
  } catch (const nlohmann::json::exception& e) {
    return fail(p.filename().string() + ": bad JSON: " + e.what());
  }
}

int exit_rank(int code) {
  if (code == kExitNotGraded) return 4;
  return code == kExitFailed ? 3 : code == kExitTimeout ? 2 : code == kExitNotAccepted ? 1 : 0;
}

class Watcher {
 public:
  Watcher(const WatchOptions& opt, const Session& session, Spool spool, WorkerPool& pool)
      : opt_(opt), session_(session), spool_(std::move(spool)), pool_(pool) {}

  // Everything a crash left: temp results go, claimed jobs are finished or
  // judged again.
  void recover() {
    if (int n = spool_.remove_stale_temps()) spdlog::info("removed {} unfinished result folder(s)", n);
    for (const auto& id : spool_.claimed()) {
      spool_.adopt_companions(id);
      if (spool_.has_result(id)) {
        spdlog::info("{}: judged before a restart; filing its inputs", id);
        if (auto s = spool_.finish(id); !s) spdlog::error("{}: {}", id, s.error().message);
        continue;
      }
      spdlog::info("{}: claimed before a restart; judging it again", id);
      submit(id);
    }
  }

  void submit(const std::string& id) {
    pool_.submit([this, id] { judge(id); });
  }

  // A settled inbox entry: claim it, reject it, or look again later.
  void consider(SettleQueue& queue, const SettleQueue::Due& d, Clock::time_point now) {
    const std::string& id = d.id;
    std::error_code ec;
    const bool py = fs::exists(spool_.inbox() / (id + ".py"), ec);
    const bool json = fs::exists(spool_.inbox() / (id + ".json"), ec);
    const bool in = fs::exists(spool_.inbox() / (id + ".in"), ec);
    if (!py && !json && !in) return;           // gone (claimed or taken away)
    if (fs::exists(spool_.work() / id, ec)) {  // the same ID is being judged now
      queue.retry_at(d, now + std::chrono::seconds(1));
      return;
    }
    if (spool_.has_result(id)) {
      for (const char* ext : {".py", ".json", ".in"})
        if (fs::exists(spool_.inbox() / (id + ext), ec))
          reject_file(id + ext, id + " was already judged (see results/" + id + "); a resubmission needs a new ID");
      return;
    }
    if (!py && !json) {
      if (opt_.once || now - d.first_seen >= opt_.orphan_grace) {
        reject_file(id + ".in", id + ".in has no " + id + ".py (nor a job spec " + id + ".json)");
      } else {
        queue.retry_at(d, now + std::chrono::milliseconds(500));
      }
      return;
    }
    if (pool_.in_flight() >= pool_.concurrency()) {  // keep the backlog in the inbox, not in memory
      queue.retry_at(d, now + std::chrono::milliseconds(50));
      return;
    }
    auto claimed = spool_.claim(id);
    if (!claimed) {
      spdlog::error("{}: cannot claim: {}", id, claimed.error().message);
      queue.retry_at(d, now + std::chrono::seconds(1));
      return;
    }
    if (*claimed) {
      spdlog::info("{}: claimed", id);
      submit(id);
    }
  }

  void reject_file(const std::string& name, const std::string& reason) {
    if (auto s = spool_.reject_inbox_file(name, reason); !s) {
      spdlog::error("{}: cannot reject: {}", name, s.error().message);
      return;
    }
    spdlog::warn("{}: rejected: {}", name, reason);
    ++rejected_;
  }

  WatchCounts counts() const {
    std::lock_guard lock(mu_);
    return {judged_, rejected_.load(), worst_exit_};
  }
  std::string status_line() const {
    std::lock_guard lock(mu_);
    std::string v;
    for (const auto& [k, n] : verdicts_) v += fmt::format("{}{} {}", v.empty() ? "" : ", ", k, n);
    return fmt::format("running {} | judged {}{} | rejected {}", pool_.in_flight(), judged_,
                       v.empty() ? "" : " (" + v + ")", rejected_.load());
  }
  const Spool& spool() const { return spool_; }

 private:
  Expected<Job> job_of(const std::string& id) const {
    const fs::path dir = spool_.work() / id;
    std::error_code ec;
    const fs::path py = dir / (id + ".py"), in = dir / (id + ".in"), js = dir / (id + ".json");
    // A link could make pyjudge read any file on the host: inputs must be
    // plain files.
    for (const auto& f : {py, in, js})
      if (fs::exists(fs::symlink_status(f, ec)) && !fs::is_regular_file(fs::symlink_status(f, ec)))
        return fail(f.filename().string() + " is not a regular file (links are refused)");
    Job job;
    job.id = id;
    job.limits = opt_.problem ? opt_.problem->limits : opt_.defaults;
    job.result_dir = ".";
    if (fs::exists(py, ec)) {
      job.script = py;
      if (fs::exists(in, ec)) job.stdin_file = in;
      if (fs::exists(js, ec)) {
        if (opt_.problem) return fail(id + ".json: limits come from the problem in --problem mode");
        auto j = read_json_object(js);
        if (!j) return j.error();
        for (const auto& [k, v] : j->items())
          if (auto s = set_limit_json(job.limits, k, v); !s) return fail(id + ".json: " + s.error().message);
      }
    } else {
      if (opt_.problem) return fail("in --problem mode a job is " + id + ".py");
      auto j = read_json_object(js);
      if (!j) return j.error();
      for (const auto& [k, v] : j->items()) {
        if (k == "id") {
          if (v != id) return fail(id + ".json: \"id\" must be \"" + id + "\" (the file's name)");
        } else if (k == "script" || k == "stdin") {
          if (!v.is_string()) return fail(id + ".json: \"" + k + "\" must be a string");
          auto p = shared_file(v.get<std::string>());
          if (!p) return fail(id + ".json: \"" + k + "\": " + p.error().message);
          (k == "script" ? job.script : job.stdin_file.emplace()) = *p;
        } else if (auto s = set_limit_json(job.limits, k, v); !s) {
          return fail(id + ".json: " + s.error().message);
        }
      }
      if (job.script.empty()) return fail(id + ".json: \"script\" is required");
    }
    if (auto s = validate(job); !s) return s.error();
    if (auto why = limits_beyond(job.limits, opt_.capacity)) return fail(id + ": " + *why);
    return job;
  }

  // A job spec's file: a plain file inside SPOOL/files/, the operator's
  // shared scripts and inputs. Inbox writers may be less trusted than the
  // operator, so no absolute path, no way out, no links.
  Expected<fs::path> shared_file(const std::string& name) const {
    const fs::path rel(name);
    if (rel.empty() || rel.is_absolute()) return fail("'" + name + "' must be a path relative to files/ in the spool");
    std::error_code ec;
    const fs::path base = fs::canonical(spool_.files(), ec);
    if (ec) return fail("'" + name + "': the spool has no files/ folder");
    const fs::path p = fs::weakly_canonical(base / rel, ec);
    if (ec) return fail("'" + name + "': " + ec.message());
    if (std::mismatch(base.begin(), base.end(), p.begin(), p.end()).first != base.end())
      return fail("'" + name + "' leaves files/ in the spool");
    if (!fs::is_regular_file(fs::symlink_status(base / rel, ec)))
      return fail("'" + name + "' is not a regular file in files/ (links are refused)");
    return p;
  }

  // On a worker thread. Whatever goes wrong, the job stays claimed (judged
  // again on the next start) rather than being lost.
  void judge(const std::string& id) {
    try {
      judge_claimed(id);
    } catch (const std::exception& e) {
      spdlog::error("{}: internal error: {}; it stays claimed and is judged again on the next start", id, e.what());
      not_judged();
    }
  }

  // A claimed job that could not be judged this time counts as a failure.
  void not_judged() {
    std::lock_guard lock(mu_);
    worst_exit_ = kExitFailed;
  }

  void judge_claimed(const std::string& id) {
    auto job = job_of(id);
    if (!job) {
      if (auto s = spool_.reject_claimed(id, job.error().message); !s) spdlog::error("{}: {}", id, s.error().message);
      spdlog::warn("{}: rejected: {}", id, job.error().message);
      ++rejected_;
      return;
    }
    auto temp = spool_.temp_result_dir(id);
    if (!temp) {
      spdlog::error("{}: {}", id, temp.error().message);
      return not_judged();
    }
    std::string verdict;
    int exit_code = kExitOk;
    bool interrupted_now = false;
    if (opt_.problem) {
      GradeOptions g;
      g.batch.out = *temp;
      g.batch.image = opt_.image;
      g.isolation = opt_.isolation;
      Submission sub{id, job->script, id + ".py", "."};
      const auto report =
          grade(*opt_.problem, {sub}, g, [&](std::vector<Job> jobs) { return run_here(std::move(jobs), *temp); });
      interrupted_now = report.signal != 0;
      if (!interrupted_now) {
        const auto& s = report.submissions.at(0);
        verdict = s.graded ? s.verdict : "not graded";
        exit_code = !s.graded ? kExitNotGraded : s.verdict == "AC" ? kExitOk : kExitNotAccepted;
        for (const auto& [name, text] :
             {std::pair{"report.json",
                        report_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
              {"junit.xml", report_junit(report)},
              {"grades.csv", report_csv(report)}})
          if (auto s2 = write_file_atomic(*temp / name, text); !s2) spdlog::error("{}: {}", id, s2.error().message);
        verdict += fmt::format(" ({}/{})", s.score, s.max_score);
      }
    } else {
      const JobResult r =
          pool_.run_with_retries(*job, RunContext{opt_.image, *temp, session_, 1, second_signal}, opt_.retries);
      interrupted_now = r.interrupted;
      verdict = std::string(to_string(r.verdict));
      exit_code = exit_for_status(r.status());
    }
    std::error_code ec;
    if (interrupted_now) {
      fs::remove_all(*temp, ec);  // stays claimed: the next start judges it again
      spdlog::warn("{}: interrupted; it stays claimed and is judged again on the next start", id);
      return;
    }
    if (spool_.has_result(id)) {
      fs::remove_all(*temp, ec);
    } else if (auto s = spool_.commit_result(*temp, id); !s) {
      spdlog::error("{}: {}", id, s.error().message);
      fs::remove_all(*temp, ec);
      return not_judged();
    }
    if (auto s = spool_.finish(id); !s) spdlog::error("{}: {}", id, s.error().message);
    spdlog::info("{}: {}", id, verdict);
    std::lock_guard lock(mu_);
    ++judged_;
    ++verdicts_[verdict.substr(0, verdict.find(' '))];
    if (exit_rank(exit_code) > exit_rank(worst_exit_)) worst_exit_ = exit_code;
  }

  // Runs a grading's jobs one after another on this worker.
  // On this worker, in order; consecutive jobs of one group share a container.
  BatchOutcome run_here(std::vector<Job> jobs, const fs::path& out) {
    BatchOutcome o;
    for (auto& j : jobs) o.entries.push_back(BatchEntry{std::move(j), EntryState::Pending, {}});
    for (std::size_t i = 0; i < o.entries.size();) {
      std::size_t end = i + 1;
      const std::string& g = o.entries[i].job.group;
      while (!g.empty() && end < o.entries.size() && o.entries[end].job.group == g) ++end;
      std::vector<const Job*> group;
      for (std::size_t k = i; k < end; ++k) group.push_back(&o.entries[k].job);
      pool_.run_group_with_retries(
          group, RunContext{opt_.image, out, session_, 1, second_signal}, opt_.retries,
          [&](std::size_t k, const JobResult& r) {
            BatchEntry& e = o.entries[i + k];
            e.result = r;
            e.state = r.interrupted ? EntryState::Interrupted : EntryState::Done;
          },
          second_signal);
      i = end;
    }
    for (const auto& e : o.entries)
      if (e.state != EntryState::Done) o.signal = interrupt_signal();
    return o;
  }

  const WatchOptions& opt_;
  const Session& session_;
  Spool spool_;
  WorkerPool& pool_;
  mutable std::mutex mu_;
  int judged_ = 0;
  std::atomic<int> rejected_{0};
  int worst_exit_ = kExitOk;
  std::map<std::string, int> verdicts_;
};

}  // namespace

Expected<WatchCounts> run_watch(const WatchOptions& opt, const Session& session, const std::function<void()>& on_reload,
                                const std::function<void(const std::string&)>& status) {
  auto spool = Spool::open(opt.spool);
  if (!spool) return spool.error();
  auto endpoint = endpoint_from_env();
  if (!endpoint) return endpoint.error();
  auto inbox = spool->inbox();
  std::optional<InboxWatcher> watcher;
  if (!opt.once) {
    auto w = InboxWatcher::open(inbox);
    if (!w) return w.error();
    watcher.emplace(std::move(*w));
  }

  // One watcher per spool: a second one would judge the first one's claims again.
  UniqueFd lock(::open((opt.spool / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0)
    return fail("another pyjudge watch is serving " + opt.spool.string() + " (" + (opt.spool / ".lock").string() +
                " is locked)");

  WorkerPool pool(opt.concurrency, *endpoint);
  Watcher w(opt, session, std::move(*spool), pool);
  // Declared after `w`, so destroyed before it: no task may outlive the
  // Watcher it runs on, even when the loop below throws.
  struct WaitForTasks {
    WorkerPool& pool;
    ~WaitForTasks() { pool.wait(); }
  } wait_for_tasks{pool};
  w.recover();

  SettleQueue queue(opt.once ? Clock::duration::zero() : Clock::duration(opt.settle));
  auto note_names = [&](const std::vector<std::string>& names) {
    const auto now = Clock::now();
    for (const auto& name : names) {
      std::string id;
      switch (Spool::classify(name, id)) {
        case Spool::NameKind::Ignored:
          break;
        case Spool::NameKind::Invalid:
          if (std::error_code ec; std::filesystem::exists(inbox / name, ec))
            w.reject_file(
                name, "'" + name +
                          "' is not a job file: use ID.py, ID.in or ID.json with an ID of 1-64 of A-Z a-z 0-9 . _ -");
          break;
        default:
          queue.note(id, now);
      }
    }
  };
  note_names(list_names(inbox));
  spdlog::info("watching {} ({} jobs at once{})", opt.spool.string(), opt.concurrency,
               opt.problem ? ", grading against " + opt.problem->name : "");

  auto last_status = Clock::now();
  for (;;) {
    if (take_reload_request() && on_reload) on_reload();
    if (interrupted()) break;  // stop claiming; running jobs end by themselves
    auto now = Clock::now();
    for (const auto& d : queue.take_due(now)) w.consider(queue, d, now);
    if (opt.once && queue.empty() && pool.in_flight() == 0) break;

    const auto next = queue.next_due();
    long long wait_ms = 100;
    if (next != Clock::time_point::max())
      wait_ms = std::clamp<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count(), 0, 100);
    if (watcher) {
      pollfd p{watcher->fd(), POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(wait_ms)) > 0) {
        bool overflowed = false;
        note_names(watcher->read_names(overflowed));
        if (overflowed) note_names(list_names(inbox));
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
    if (status && Clock::now() - last_status > std::chrono::seconds(1)) {
      last_status = Clock::now();
      std::error_code ec;
      std::size_t waiting = 0;
      for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(inbox, ec)) ++waiting;
      status(fmt::format("inbox {} | {}", waiting, w.status_line()));
    }
  }
  if (interrupted())
    spdlog::warn("signal {}: no more claims; waiting for {} running job(s) (a second signal kills them)",
                 interrupt_signal(), pool.in_flight());
  pool.wait();
  return w.counts();
}

}  // namespace pyjudge::cli
