// The supervisor's side of the framed channel: frames read from the
// container's stdin (fd 0) and written to its stdout (fd 1).
#pragma once

#include <string_view>

#include "runner/shared/protocol.h"

namespace pyjudge::supervisor {

class InChannel {
 public:
  enum class Got { Frame, Eof, Error };

  // Blocks until a whole frame has arrived. Eof only at a frame boundary;
  // a stream cut inside a frame, or an oversized frame, is Error.
  Got next(char& type, std::string_view& payload);
  // Non-blocking: a frame if one is already buffered or one read() completes
  // one; NeedMore when fd 0 has nothing more right now.
  enum class Try { Frame, NeedMore, Eof, Error };
  Try try_next(char& type, std::string_view& payload);
  // Bytes already read from fd 0 and not yet parsed: poll() will not report
  // them, so they must be taken before waiting.
  bool buffered() const { return !pending_.empty(); }

 private:
  // One read() into the buffer; Frame means "something to parse".
  Try fill(bool block);
  // The next frame, reading (and, with `block`, waiting) as needed.
  Try take(char& type, std::string_view& payload, bool block);
  pyjudge::protocol::FrameReader reader_;
  char buf_[pyjudge::protocol::kMaxFramePayload] = {};
  std::string_view pending_;
};

// Writes one frame to fd 1, blocking until all of it is written. False when
// the host has gone away.
bool write_frame(char type, std::string_view payload);

}  // namespace pyjudge::supervisor
