// HttpClient: one persistent HTTP/1.1 connection to the engine (keep-alive
// reused between calls), on libcurl, over a Unix socket or TCP.
#pragma once

#include <string>
#include <string_view>

#include "runner/engine/curl_handle.h"
#include "runner/engine/endpoint.h"
#include "runner/shared/expected.h"

namespace pyjudge::runner {

struct HttpResponse {
  long status = 0;
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(Endpoint endpoint);

  // `path` starts with '/'; `body` (JSON) is sent when non-empty. Transport
  // failures come back as Error; any HTTP status is a response.
  Expected<HttpResponse> request(std::string_view method, const std::string& path, const std::string& body = {},
                                 long timeout_ms = 60'000);
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Endpoint endpoint_;
  CurlEasy curl_;
  CurlSlist json_headers_;
};

}  // namespace pyjudge::runner
