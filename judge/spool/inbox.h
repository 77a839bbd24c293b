// Inbox: arrivals in the spool's inbox, from inotify (IN_CLOSE_WRITE
// and IN_MOVED_TO, no polling), and SettleQueue: when each job's files have
// been quiet long enough to claim.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "runner/shared/expected.h"
#include "runner/shared/unique_fd.h"

namespace pyjudge::judge {

class Inbox {
 public:
  static Expected<Inbox> open(const std::filesystem::path& inbox);
  int fd() const { return fd_.get(); }
  // The names that were written or moved in since the last call (non-blocking).
  // `overflowed` is set when the kernel dropped events: rescan the folder.
  std::vector<std::string> read_names(bool& overflowed);

 private:
  UniqueFd fd_;
};

// The file names in `dir` now (for the start, and after an overflow).
std::vector<std::string> list_names(const std::filesystem::path& dir);

class SettleQueue {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SettleQueue(Clock::duration settle) : settle_(settle) {}

  struct Due {
    std::string id;
    Clock::time_point first_seen;
  };

  // Something of job `id` arrived: it is due `settle` after its last arrival.
  void note(const std::string& id, Clock::time_point now);
  // Puts a taken entry back, due at `when`, keeping its first arrival time.
  void retry_at(const Due& d, Clock::time_point when);
  // The entries due at `now`, removed from the queue, oldest arrival first.
  std::vector<Due> take_due(Clock::time_point now);
  // When the next one is due (Clock::time_point::max() when empty).
  Clock::time_point next_due() const;
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Clock::time_point due;
    Clock::time_point first_seen;
  };
  Clock::duration settle_;
  std::map<std::string, Entry> entries_;
};

}  // namespace pyjudge::judge
