// The live progress line of a batch on a terminal: done/total, verdict
// counts, jobs/s and ETA, redrawn in place on stderr.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>

#include "runner/job/verdict.h"

namespace pyjudge::cli {

class Progress {
 public:
  // Draws nothing unless `enabled` (stderr is a TTY and not --quiet).
  Progress(std::size_t total, bool enabled);
  void job_ended(runner::Verdict v);  // any thread
  void draw();                        // the main thread
  void finish() const;                // clears the line

 private:
  std::size_t total_;
  bool enabled_;
  std::array<std::atomic<int>, 6> counts_{};
  std::atomic<int> done_{0};
  std::chrono::steady_clock::time_point start_;
};

}  // namespace pyjudge::cli
