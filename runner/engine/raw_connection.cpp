#include "runner/engine/raw_connection.h"

#include <poll.h>
#include <sys/socket.h>

#include <chrono>

#include "runner/engine/curl_transport.h"

namespace pyjudge::runner {

Expected<RawConnection> RawConnection::upgrade(const Endpoint& ep, const std::string& request_head, long timeout_ms) {
  RawConnection c;
  c.curl_ = make_curl_easy();
  CURL* h = c.curl_.get();
  set_transport(h, ep);
  c.tls_ = ep.tls.has_value();
  curl_easy_setopt(h, CURLOPT_URL, ep.base_url.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  if (CURLcode rc = curl_easy_perform(h); rc != CURLE_OK) return fail(transport_error(ep, rc));
  curl_socket_t s = CURL_SOCKET_BAD;
  curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &s);
  if (s == CURL_SOCKET_BAD) return fail("engine at " + ep.shown + ": no socket after connect");
  c.fd_ = static_cast<int>(s);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto wait_for = [&](short events) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{c.fd_, events, 0};
    return ::poll(&p, 1, static_cast<int>(left.count())) > 0;
  };

  std::string_view out = request_head;
  while (!out.empty()) {
    std::size_t n = 0;
    const Io r = c.send(out, n);
    if (r == Io::Ok)
      out.remove_prefix(n);
    else if (r != Io::Again || !wait_for(POLLOUT))
      return fail("engine at " + ep.shown + ": cannot send the attach request");
  }

  std::string head;
  std::size_t end = std::string::npos;
  while ((end = head.find("\r\n\r\n")) == std::string::npos) {
    char buf[4096];
    std::size_t n = 0;
    const Io r = c.recv(buf, sizeof buf, n);
    if (r == Io::Ok)
      head.append(buf, n);
    else if (r != Io::Again || !wait_for(POLLIN) || head.size() > 65536)
      return fail("engine at " + ep.shown + ": no answer to the attach request");
  }
  c.leftover_ = head.substr(end + 4);
  head.resize(end);
  const std::size_t sp = head.find(' ');
  const std::string code = sp == std::string::npos ? "" : head.substr(sp + 1, 3);
  if (code != "101" && code != "200") {
    // The body of an error answer is the engine's message; keep its first line.
    std::string msg = c.leftover_.substr(0, c.leftover_.find('\n'));
    return fail("attach refused (" + head.substr(0, head.find('\r')) + ") " + msg, std::stol("0" + code));
  }
  return c;
}

RawConnection::Io RawConnection::send(std::string_view data, std::size_t& n) {
  n = 0;
  const CURLcode rc = curl_easy_send(curl_.get(), data.data(), data.size(), &n);
  if (rc == CURLE_OK) return Io::Ok;
  if (rc == CURLE_AGAIN) return Io::Again;
  return Io::Error;
}

RawConnection::Io RawConnection::recv(char* buf, std::size_t cap, std::size_t& n) {
  n = 0;
  const CURLcode rc = curl_easy_recv(curl_.get(), buf, cap, &n);
  if (rc == CURLE_AGAIN) return Io::Again;
  if (rc != CURLE_OK) return Io::Error;
  return n == 0 ? Io::Closed : Io::Ok;
}

// NOLINTNEXTLINE(readability-make-member-function-const): it changes the connection, so it is not const
void RawConnection::shutdown_write() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void RawConnection::close() {
  curl_.reset();
  fd_ = -1;
}

}  // namespace pyjudge::runner
