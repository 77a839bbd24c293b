#include "runner/sandbox/byte_channel.h"

#include <sys/eventfd.h>

#include <cerrno>
#include <cstdint>

#include "runner/shared/errno_text.h"

namespace pyjudge::runner {

Expected<std::unique_ptr<ByteChannel>> ByteChannel::make() {
  UniqueFd fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!fd) return fail("eventfd: " + errno_text(errno));
  return std::unique_ptr<ByteChannel>(new ByteChannel(std::move(fd)));
}

void ByteChannel::signal() const {
  const std::uint64_t one = 1;
  // A full counter (never, in practice) still leaves the fd readable.
  [[maybe_unused]] const auto n = ::write(wake_.get(), &one, sizeof one);
}

void ByteChannel::write(std::string_view bytes) {
  if (bytes.empty()) return;
  {
    const std::lock_guard lock(mu_);
    if (closed_) return;
    data_.append(bytes);
  }
  signal();
}

void ByteChannel::close() {
  {
    const std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
  }
  signal();
}

ByteChannel::Taken ByteChannel::take(std::size_t max) {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto n = ::read(wake_.get(), &count, sizeof count);  // clears the wake-up
  Taken t;
  const std::lock_guard lock(mu_);
  const std::size_t k = std::min(max, data_.size() - head_);
  t.bytes.assign(data_, head_, k);
  head_ += k;
  if (head_ == data_.size()) {
    data_.clear();
    head_ = 0;
  } else {
    signal();  // more is waiting: stay readable
  }
  t.ended = closed_ && data_.empty();
  return t;
}

}  // namespace pyjudge::runner
