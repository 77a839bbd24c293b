// The live progress line of the jobs on a terminal: done/total, verdict
// counts, jobs/s and ETA, redrawn in place on stderr. It is what the command
// line makes of the executor's progress reports.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>

#include "judge/executor.h"
#include "runner/job/verdict.h"

namespace pyjudge::cli {

class ProgressLine : public judge::Progress {
 public:
  // Draws nothing unless `enabled` (stderr is a TTY and not --quiet); the
  // line is cleared when it goes.
  explicit ProgressLine(bool enabled);
  ~ProgressLine() override;
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ProgressLine(ProgressLine&&) = delete;
  ProgressLine& operator=(ProgressLine&&) = delete;

  void planned(std::size_t jobs) override;
  void job_ended(const judge::BatchEntry& entry) override;  // any thread
  void tick() override;                                     // the main thread

 private:
  bool enabled_;
  std::atomic<std::size_t> total_{0};
  std::array<std::atomic<int>, 6> counts_{};
  std::atomic<int> done_{0};
  std::chrono::steady_clock::time_point start_;
};

}  // namespace pyjudge::cli
