#include "record_splitter.h"

#include <cstring>
#include <stdexcept>

namespace pyjudge {

namespace {
// The record is a short JSON line; anything longer is not ours.
constexpr std::size_t kMaxRecordBytes = 4096;
}  // namespace

RecordSplitter::RecordSplitter(std::string marker, Sink sink) : marker_(std::move(marker)), sink_(std::move(sink)) {
  if (marker_.empty() || marker_.find(marker_[0], 1) != std::string::npos)
    throw std::invalid_argument("record marker must not repeat its first byte");
}

void RecordSplitter::feed(std::string_view data) {
  while (!data.empty()) {
    if (found_) {
      if (complete_) return;  // anything after the record is discarded
      const std::size_t nl = data.find('\n');
      const std::size_t take = nl == std::string_view::npos ? data.size() : nl;
      if (record_.size() + take > kMaxRecordBytes) oversized_ = true;
      if (!oversized_) record_.append(data.substr(0, take));
      if (nl != std::string_view::npos) complete_ = true;
      return;
    }
    if (matched_ == 0) {
      const void* hit = std::memchr(data.data(), marker_[0], data.size());
      const std::size_t pos = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - data.data()) : data.size();
      if (pos > 0) sink_(data.substr(0, pos));
      data.remove_prefix(pos);
      if (data.empty()) return;
      matched_ = 1;
      data.remove_prefix(1);
      continue;
    }
    if (data[0] == marker_[matched_]) {
      ++matched_;
      data.remove_prefix(1);
      if (matched_ == marker_.size()) found_ = true;
      continue;
    }
    // Mismatch: the held-back prefix was plain output. The current byte is
    // re-examined as a possible marker start.
    sink_(std::string_view(marker_).substr(0, matched_));
    matched_ = 0;
  }
}

void RecordSplitter::finish() {
  if (!found_ && matched_ > 0) sink_(std::string_view(marker_).substr(0, matched_));
  matched_ = 0;
}

std::optional<std::string> RecordSplitter::record() const {
  if (!complete_ || oversized_) return std::nullopt;
  return record_;
}

}  // namespace pyjudge
