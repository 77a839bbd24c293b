#include "runner/engine/endpoint.h"

#include <cstdlib>
#include <fstream>

namespace pyjudge::runner {

Expected<Endpoint> parse_endpoint(const std::string& host) {
  if (host.empty()) return Endpoint{kDefaultSocket, "http://localhost", kDefaultSocket, std::nullopt};
  if (host.rfind("unix://", 0) == 0) {
    const std::string path = host.substr(7);
    if (path.empty() || path.front() != '/') return fail("DOCKER_HOST '" + host + "' needs an absolute socket path");
    return Endpoint{path, "http://localhost", path, std::nullopt};
  }
  if (host.rfind("tcp://", 0) == 0) {
    std::string rest = host.substr(6);
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.empty() || rest.find('/') != std::string::npos)
      return fail("DOCKER_HOST '" + host + "' is not tcp://host:port");
    return Endpoint{"", "http://" + rest, "tcp://" + rest, std::nullopt};
  }
  return fail("DOCKER_HOST '" + host + "' is not supported (use unix:///path or tcp://host:port)");
}

bool Endpoint::plaintext_remote() const {
  if (!unix_socket.empty() || tls) return false;
  std::string host = base_url.substr(base_url.find("://") + 3);
  if (host.starts_with("[")) {
    host = host.substr(1, host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return host != "localhost" && !host.starts_with("127.") && host != "::1";
}

Expected<Endpoint> endpoint_from(const std::string& docker_host, const std::string& tls_verify,
                                 const std::string& cert_path, const std::string& home) {
  auto ep = parse_endpoint(docker_host);
  if (!ep || tls_verify.empty() || !ep->unix_socket.empty()) return ep;
  const std::string dir = !cert_path.empty() ? cert_path : home + "/.docker";
  TlsFiles files{dir + "/ca.pem", dir + "/cert.pem", dir + "/key.pem"};
  for (const auto* f : {&files.ca, &files.cert, &files.key})
    if (!std::ifstream(*f))
      return fail("DOCKER_TLS_VERIFY is set, but " + *f +
                  " is missing or unreadable (set DOCKER_CERT_PATH to the "
                  "folder with ca.pem, cert.pem and key.pem)");
  ep->base_url.replace(0, 4, "https");  // http://host:port
  ep->shown = "tcp://" + ep->base_url.substr(8) + " (TLS)";
  ep->tls = std::move(files);
  return ep;
}

Expected<Endpoint> endpoint_from_env() {
  const auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  return endpoint_from(env("DOCKER_HOST"), env("DOCKER_TLS_VERIFY"), env("DOCKER_CERT_PATH"), env("HOME"));
}

}  // namespace pyjudge::runner
