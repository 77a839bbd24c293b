#include "endpoint.h"

#include <cstdlib>

namespace pyjudge {

Expected<Endpoint> parse_endpoint(const std::string& host) {
  if (host.empty()) return Endpoint{kDefaultSocket, "http://localhost", kDefaultSocket};
  if (host.rfind("unix://", 0) == 0) {
    const std::string path = host.substr(7);
    if (path.empty() || path.front() != '/') return fail("DOCKER_HOST '" + host + "' needs an absolute socket path");
    return Endpoint{path, "http://localhost", path};
  }
  if (host.rfind("tcp://", 0) == 0) {
    std::string rest = host.substr(6);
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.empty() || rest.find('/') != std::string::npos)
      return fail("DOCKER_HOST '" + host + "' is not tcp://host:port");
    return Endpoint{"", "http://" + rest, "tcp://" + rest};
  }
  return fail("DOCKER_HOST '" + host + "' is not supported (use unix:///path or tcp://host:port)");
}

Expected<Endpoint> endpoint_from_env() {
  const char* v = std::getenv("DOCKER_HOST");
  return parse_endpoint(v ? v : "");
}

}  // namespace pyjudge
