// StreamDemux: splits the engine's multiplexed attach stream (8-byte frame
// headers: stream type, 3 zero bytes, big-endian length) into stdout and
// stderr bytes, however the frames are cut across reads.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>

#include "runner/shared/expected.h"

namespace pyjudge::runner {

enum class StreamId : std::uint8_t { Stdout = 1, Stderr = 2 };

class StreamDemux {
 public:
  using Sink = std::function<void(StreamId, std::string_view)>;
  explicit StreamDemux(Sink sink) : sink_(std::move(sink)) {}

  // Feeds raw bytes from the connection; fails on a malformed header.
  Status feed(std::string_view data);
  // True when no frame is half-read.
  bool at_frame_boundary() const { return header_len_ == 0 && remaining_ == 0; }

 private:
  Sink sink_;
  std::array<unsigned char, 8> header_{};
  std::size_t header_len_ = 0;
  std::uint32_t remaining_ = 0;
  StreamId current_ = StreamId::Stdout;
};

}  // namespace pyjudge::runner
