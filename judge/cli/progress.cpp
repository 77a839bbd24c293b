#include "judge/cli/progress.h"

#include <cstdio>

#include <spdlog/fmt/fmt.h>

namespace pyjudge::cli {

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() {
  if (!enabled_) return;
  (void)std::fprintf(stderr, "\r\033[K");
  (void)std::fflush(stderr);
}

void ProgressLine::planned(std::size_t jobs) { total_.fetch_add(jobs); }

void ProgressLine::job_ended(const judge::BatchEntry& entry) {
  counts_.at(static_cast<std::size_t>(entry.result.verdict)).fetch_add(1);
  done_.fetch_add(1);
}

void ProgressLine::tick() {
  if (!enabled_) return;
  const int done = done_.load();
  const auto total = static_cast<int>(total_.load());
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0 ? done / secs : 0;
  std::string line = fmt::format("[{}/{}]", done, total);
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (int n = counts_[i].load()) line += fmt::format(" {} {}", to_string(static_cast<runner::Verdict>(i)), n);
  line += fmt::format(" | {:.1f} jobs/s", rate);
  if (rate > 0 && done < total) line += fmt::format(" | ETA {:.0f} s", static_cast<double>(total - done) / rate);
  // A progress line that cannot be drawn is not worth failing for.
  (void)std::fprintf(stderr, "\r\033[K%s", line.c_str());
  (void)std::fflush(stderr);
}

}  // namespace pyjudge::cli
