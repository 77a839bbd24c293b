#include "runner/supervisor/channel.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace pyjudge::supervisor {

using pyjudge::protocol::FrameReader;

InChannel::Try InChannel::fill(bool block) {
  for (;;) {
    const ssize_t n = ::read(0, buf_, sizeof buf_);
    if (n > 0) {
      pending_ = std::string_view(buf_, static_cast<std::size_t>(n));
      return Try::Frame;  // "something to parse"
    }
    if (n == 0) return reader_.at_boundary() ? Try::Eof : Try::Error;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return Try::Error;
    if (!block) return Try::NeedMore;
    pollfd p{0, POLLIN, 0};
    ::poll(&p, 1, -1);
  }
}

InChannel::Try InChannel::take(char& type, std::string_view& payload, bool block) {
  for (;;) {
    switch (reader_.pop(pending_, type, payload)) {
      case FrameReader::Result::Frame:
        return Try::Frame;
      case FrameReader::Result::Oversized:
        return Try::Error;
      case FrameReader::Result::NeedMore:
        break;
    }
    const Try t = fill(block);
    if (t != Try::Frame) return t;
  }
}

InChannel::Try InChannel::try_next(char& type, std::string_view& payload) { return take(type, payload, false); }

InChannel::Got InChannel::next(char& type, std::string_view& payload) {
  switch (take(type, payload, true)) {
    case Try::Frame:
      return Got::Frame;
    case Try::Eof:
      return Got::Eof;
    default:
      return Got::Error;
  }
}

namespace {

bool write_all(const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(1, p, n);
    if (w > 0) {
      p += w;
      n -= static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) {
      pollfd pf{1, POLLOUT, 0};
      ::poll(&pf, 1, -1);
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

bool write_frame(char type, std::string_view payload) {
  char head[pyjudge::protocol::kFrameHeaderBytes];
  const auto n = static_cast<std::uint32_t>(payload.size());
  head[0] = type;
  head[1] = static_cast<char>((n >> 24) & 0xff);
  head[2] = static_cast<char>((n >> 16) & 0xff);
  head[3] = static_cast<char>((n >> 8) & 0xff);
  head[4] = static_cast<char>(n & 0xff);
  return write_all(head, sizeof head) && write_all(payload.data(), payload.size());
}

}  // namespace pyjudge::supervisor
