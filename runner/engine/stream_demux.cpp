#include "runner/engine/stream_demux.h"

#include <algorithm>

namespace pyjudge::runner {

Status StreamDemux::feed(std::string_view data) {
  while (!data.empty()) {
    if (remaining_ == 0) {
      const std::size_t take = std::min(data.size(), header_.size() - header_len_);
      std::copy_n(data.data(), take, header_.data() + header_len_);
      header_len_ += take;
      data.remove_prefix(take);
      if (header_len_ < header_.size()) return ok();
      header_len_ = 0;
      // The engine's attach output carries stdout (1) and stderr (2) only.
      if (header_[0] < 1 || header_[0] > 2 || header_[1] != 0 || header_[2] != 0 || header_[3] != 0)
        return fail("malformed frame header in the attach stream");
      current_ = static_cast<StreamId>(header_[0]);
      remaining_ = (std::uint32_t{header_[4]} << 24) | (std::uint32_t{header_[5]} << 16) |
                   (std::uint32_t{header_[6]} << 8) | std::uint32_t{header_[7]};
      continue;
    }
    const std::size_t take = std::min<std::size_t>(data.size(), remaining_);
    sink_(current_, data.substr(0, take));
    remaining_ -= static_cast<std::uint32_t>(take);
    data.remove_prefix(take);
  }
  return ok();
}

}  // namespace pyjudge::runner
