// ByteChannel: bytes from one run's stdout to another run's stdin, across
// threads (an interactive problem's submission and validator, each run by
// its own thread: interactive_pair.h). Unbounded in memory: what a writer
// puts in is bounded by its own run's stdout cap. An eventfd wakes the
// reader's poll when bytes arrive or the channel closes.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "runner/shared/expected.h"
#include "runner/shared/unique_fd.h"

namespace pyjudge::runner {

class ByteChannel {
 public:
  static Expected<std::unique_ptr<ByteChannel>> make();
  ByteChannel(ByteChannel&&) = delete;
  ByteChannel& operator=(ByteChannel&&) = delete;
  ByteChannel(const ByteChannel&) = delete;
  ByteChannel& operator=(const ByteChannel&) = delete;
  ~ByteChannel() = default;

  // The writer's side: bytes in order; after close() they are dropped.
  void write(std::string_view bytes);
  // No more bytes will come: the reader sees the end once it has taken the rest.
  void close();

  // The reader's side: at most `max` bytes (none yet: empty and !ended),
  // and whether the channel is closed and drained.
  struct Taken {
    std::string bytes;
    bool ended = false;
  };
  Taken take(std::size_t max);
  // Readable (POLLIN) when bytes or the end may be waiting; take() clears it.
  int wake_fd() const { return wake_.get(); }

 private:
  explicit ByteChannel(UniqueFd wake) : wake_(std::move(wake)) {}
  void signal() const;

  std::mutex mu_;
  std::string data_;
  std::size_t head_ = 0;
  bool closed_ = false;
  UniqueFd wake_;
};

}  // namespace pyjudge::runner
