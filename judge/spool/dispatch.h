// The spool's judge: recovers what a crash left, claims settled arrivals,
// turns each claimed ID into a job (or a grading), judges it on the executor
// and files the result. serve_spool (serve.h) drives it.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "judge/batch.h"
#include "judge/executor.h"
#include "judge/exit_codes.h"
#include "judge/spool/inbox.h"
#include "judge/spool/serve.h"
#include "judge/spool/spool.h"
#include "runner/sandbox/session.h"

namespace pyjudge::judge {

class Dispatcher {
 public:
  Dispatcher(const SpoolOptions& opt, Spool spool, Executor& executor)
      : opt_(opt), spool_(std::move(spool)), executor_(executor) {}

  // Everything a crash left: temp results go, claimed jobs are finished or
  // judged again.
  void recover();

  void submit(const std::string& id);

  // A settled inbox entry: claim it, reject it, or look again later.
  void consider(SettleQueue& queue, const SettleQueue::Due& d, std::chrono::steady_clock::time_point now);

  void reject_file(const std::string& name, const std::string& reason);

  SpoolCounts counts() const;
  std::string status_line() const;
  const Spool& spool() const { return spool_; }

 private:
  Expected<runner::Job> job_of(const std::string& id) const;
  // ID.py (with ID.in, and ID.json for its limits) or an ID.json naming files
  // in SPOOL/files/: both specs go through the one job-spec parser.
  Status fill_from_spec(runner::Job& job, const std::filesystem::path& py, const std::filesystem::path& in,
                        const std::filesystem::path& js) const;
  // A job spec's file: a plain file inside SPOOL/files/, the operator's
  // shared scripts and inputs. Inbox writers may be less trusted than the
  // operator, so no absolute path, no way out, no links.
  Expected<std::filesystem::path> shared_file(const std::string& name) const;
  // On a worker thread. Whatever goes wrong, the job stays claimed (judged
  // again on the next start) rather than being lost.
  void judge(const std::string& id);
  // A claimed job that could not be judged this time counts as a failure.
  void not_judged();
  void judge_claimed(const std::string& id);
  struct Judged {
    std::string verdict;  // as logged and counted
    int exit_code = kExitOk;
    bool interrupted = false;
  };
  Judged grade_one(const runner::Job& job, const std::filesystem::path& temp);
  Judged run_one(const runner::Job& job, const std::filesystem::path& temp);
  // Runs a grading's jobs on this worker, in order; consecutive jobs of one group share a container.

  const SpoolOptions& opt_;
  Spool spool_;
  Executor& executor_;
  mutable std::mutex mu_;
  int judged_ = 0;
  std::atomic<int> rejected_{0};
  int worst_exit_ = kExitOk;
  std::map<std::string, int> verdicts_;
};

}  // namespace pyjudge::judge
