// Endpoint: where the Docker Engine listens, from DOCKER_HOST
// (unix:///path or tcp://host:port) or the default local socket.
#pragma once

#include <string>

#include "expected.h"

namespace pyjudge {

struct Endpoint {
  std::string unix_socket;  // empty for TCP
  std::string base_url;     // "http://localhost" or "http://host:port"
  std::string shown;        // for messages: the socket path or URL
};

inline constexpr const char* kDefaultSocket = "/var/run/docker.sock";
inline constexpr const char* kApiPrefix = "/v1.41";

Expected<Endpoint> parse_endpoint(const std::string& docker_host);
// From the environment; an unset or empty DOCKER_HOST means the local socket.
Expected<Endpoint> endpoint_from_env();

}  // namespace pyjudge
