// The Executor: where every command's jobs run. Built once from the
// options, with the engine's endpoint passed in, it runs jobs on the local
// pool (one oneTBB arena, one engine connection per worker) or, with a farm
// target, on the judge farm's workers. batch, grade, verify and watch all go
// through it, and it reports to one Progress.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "judge/batch.h"
#include "judge/farm/farm_producer.h"
#include "runner/engine/endpoint.h"
#include "runner/engine/engine_capacity.h"
#include "runner/sandbox/session.h"

namespace pyjudge::judge {

class WorkerPool;

struct ExecutorOptions {
  std::string image = "pyjudge-python";
  runner::Seccomp seccomp = runner::Seccomp::Pyjudge;
  bool zygote = true;  // warm containers fork their runs from a zygote
  int concurrency = 4;
  int retries = 2;  // extra attempts, each in a fresh container, for an IE
  // Set: the jobs run on the judge farm's workers, which choose the image,
  // the runtime and the seccomp profile.
  std::optional<FarmTarget> farm;
};

// What the library reports while jobs run; the command line draws it.
class Progress {
 public:
  Progress() = default;
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  Progress(Progress&&) = delete;
  Progress& operator=(Progress&&) = delete;
  virtual ~Progress() = default;
  // `jobs` more jobs are about to run (grade: its runs, then its checks).
  virtual void planned(std::size_t jobs) = 0;
  // A job ended (Done or Resumed); any thread.
  virtual void job_ended(const BatchEntry& entry) = 0;
  // About every 100 ms on the thread that called Executor::run.
  virtual void tick() = 0;
};

// One call's jobs: where their results go, and how the batch behaves.
struct RunRequest {
  std::filesystem::path out;
  bool resume = false;     // keep complete results (IE results run again)
  bool fail_fast = false;  // stop taking jobs after a non-zero status
  // Tells a command's batches apart on the farm (OUT/.pyjudge/farm-LABEL.json).
  std::string label = "batch";
};

class Executor {
 public:
  // Local: the engine at `endpoint`, whose machine can honour `capacity`.
  Executor(ExecutorOptions options, runner::Endpoint endpoint, runner::Session session,
           runner::EngineCapacity capacity);
  // The farm (options.farm set): no engine here.
  explicit Executor(ExecutorOptions options);
  // In place of the pool and the farm: for tests of what is built on top.
  using Backend = std::function<BatchOutcome(std::vector<runner::Job>, const RunRequest&)>;
  Executor(ExecutorOptions options, Backend backend);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;
  Executor(Executor&&) = delete;
  Executor& operator=(Executor&&) = delete;

  const ExecutorOptions& options() const { return options_; }
  bool on_farm() const { return options_.farm.has_value(); }
  // Whether this executor can run `job` as asked: locally, the engine's
  // machine can honour its limits; on the farm, the wire format carries it
  // (farm_accepts). The message says why not.
  Status accepts(const runner::Job& job) const;
  // Reports go there from now on (nullptr: nowhere). Not owned.
  void report_to(Progress* progress) { progress_ = progress; }

  // A batch: the jobs' units (a lone job, or a group's jobs in one warm
  // container) spread over the slots or the farm; an interrupt stops the
  // taking. Outcomes in the jobs' order.
  BatchOutcome run(std::vector<runner::Job> jobs, const RunRequest& request);

  // Serving (watch): `task` runs on one of the executor's slots. Inside it,
  // run_in_slot runs a short list of jobs to its end, in order (a group's
  // jobs in one container), on that slot or on the farm. Locally only a
  // second signal stops it; on the farm the first one cancels the batch (the
  // watch's claimed ID is judged again at its next start).
  void submit(std::function<void()> task);
  int in_flight() const;
  void wait();
  BatchOutcome run_in_slot(std::vector<runner::Job> jobs, const std::filesystem::path& out, const std::string& label);

 private:
  BatchOptions batch_options(const RunRequest& request) const;
  WorkerPool& pool();

  ExecutorOptions options_;
  runner::Endpoint endpoint_;
  runner::Session session_;
  std::optional<runner::EngineCapacity> capacity_;
  Backend backend_;
  Progress* progress_ = nullptr;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace pyjudge::judge
