// Watch mode: serves a spool folder — recovers what a crash left, claims
// settled arrivals, judges them on the executor (the local pool or the farm) and files the results —
// until interrupted, or (--once) until the inbox is empty.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "judge/executor.h"
#include "judge/formats/problem.h"
#include "judge/grade.h"
#include "runner/job/job_limits.h"
#include "runner/sandbox/session.h"

namespace pyjudge::judge {

struct SpoolOptions {
  std::filesystem::path spool;
  std::optional<Problem> problem;  // grade each ID.py against it
  Isolation isolation = Isolation::Submission;
  runner::Limits defaults;
  bool once = false;
  std::chrono::milliseconds settle{500};
  // An ID.in with no ID.py (nor ID.json) this long after it came is rejected.
  std::chrono::milliseconds orphan_grace{10'000};
  std::string version;  // pyjudge's, for report.html
  // Where the problem's compiled validator is built and run.
  CompilerOptions compiler = {};
};

struct SpoolCounts {
  int judged = 0;
  int rejected = 0;
  int worst_exit = 0;  // the batch rules over the judged jobs
};

// `on_reload` runs on SIGHUP; `status` on a TTY about once a second. Fails
// (before judging anything) on a bad spool, or when another
// watcher holds the spool.
Expected<SpoolCounts> serve_spool(const SpoolOptions& opt, Executor& executor, const std::function<void()>& on_reload,
                                  const std::function<void(const std::string&)>& status);

}  // namespace pyjudge::judge
