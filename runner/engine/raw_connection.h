// RawConnection: a hijacked engine connection (the attach endpoint after
// "101 UPGRADED"), driven byte by byte with non-blocking send/recv.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "runner/engine/curl_handle.h"
#include "runner/engine/endpoint.h"
#include "runner/shared/expected.h"

namespace pyjudge::runner {

class RawConnection {
 public:
  // Connects, sends `request_head` (a full HTTP request with no body) and
  // reads the response head; anything beyond it is kept as leftover().
  static Expected<RawConnection> upgrade(const Endpoint& ep, const std::string& request_head, long timeout_ms);

  enum class Io { Ok, Again, Closed, Error };
  // Non-blocking; `n` is what was moved.
  Io send(std::string_view data, std::size_t& n);
  Io recv(char* buf, std::size_t cap, std::size_t& n);
  // Half-closes: the engine sees EOF on the container's stdin.
  void shutdown_write();
  // Drops the connection at once; the engine sees the client go away.
  void close();
  int fd() const { return fd_; }
  // Bytes may wait, decrypted, inside the connection where poll() on fd()
  // cannot see them (TLS): readers must try recv() without POLLIN too.
  bool buffers() const { return tls_; }
  std::string take_leftover() { return std::move(leftover_); }

 private:
  CurlEasy curl_;
  int fd_ = -1;  // owned by curl_
  bool tls_ = false;
  std::string leftover_;
};

}  // namespace pyjudge::runner
