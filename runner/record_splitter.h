// RecordSplitter: separates the supervisor's end-of-job record from the
// script's stderr. Bytes pass through to the sink until the marker (which
// carries the job's secret nonce) appears; what follows it up to a newline
// is the record. A partial marker is held back, never written, until it
// either completes or turns out to be ordinary output.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pyjudge {

class RecordSplitter {
 public:
  using Sink = std::function<void(std::string_view)>;
  // `marker` must not contain its own first byte again (the supervisor's
  // "\x1epyjudge:NONCE:" does not), which makes the scan single-pass.
  RecordSplitter(std::string marker, Sink sink);

  void feed(std::string_view data);
  // Flushes a held-back partial marker as output (the stream ended).
  void finish();
  // The record's text once its terminating newline has arrived.
  std::optional<std::string> record() const;

 private:
  std::string marker_;
  Sink sink_;
  std::size_t matched_ = 0;  // bytes of marker_ seen so far
  bool found_ = false;
  bool complete_ = false;
  bool oversized_ = false;  // longer than any record of ours: not one
  std::string record_;
};

}  // namespace pyjudge
