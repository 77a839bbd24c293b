// Watch mode: serves a spool folder — recovers what a crash left, claims
// settled arrivals, judges them on the worker pool and files the results —
// until interrupted, or (--once) until the inbox is empty.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "judge/formats/problem.h"
#include "judge/grade.h"
#include "runner/engine/engine_capacity.h"
#include "runner/job/job_limits.h"
#include "runner/sandbox/session.h"

namespace pyjudge::judge {

struct WatchOptions {
  std::filesystem::path spool;
  std::optional<Problem> problem;  // grade each ID.py against it
  Isolation isolation = Isolation::Submission;
  // What the engine's machine can honour: a job asking for more is rejected.
  runner::EngineCapacity capacity{1 << 20, std::int64_t{1} << 60, {}};
  runner::Limits defaults;
  std::string image;
  runner::Seccomp seccomp = runner::Seccomp::Pyjudge;
  int concurrency = 4;
  int retries = 2;
  bool once = false;
  std::chrono::milliseconds settle{500};
  // An ID.in with no ID.py (nor ID.json) this long after it came is rejected.
  std::chrono::milliseconds orphan_grace{10'000};
  std::string version;  // pyjudge's, for report.html
};

struct WatchCounts {
  int judged = 0;
  int rejected = 0;
  int worst_exit = 0;  // the batch rules over the judged jobs
};

// `on_reload` runs on SIGHUP; `status` on a TTY about once a second. Fails
// (before judging anything) on a bad spool or DOCKER_HOST, or when another
// watcher holds the spool.
Expected<WatchCounts> run_watch(const WatchOptions& opt, const runner::Session& session,
                                const std::function<void()>& on_reload,
                                const std::function<void(const std::string&)>& status);

}  // namespace pyjudge::judge
