// Endpoint: where the Docker Engine listens, from DOCKER_HOST
// (unix:///path or tcp://host:port) or the default local socket.
#pragma once

#include <optional>
#include <string>

#include "runner/shared/expected.h"

namespace pyjudge::runner {

// Docker's TLS for a tcp:// engine: the CA that signed the engine's
// certificate, and this client's certificate and key.
struct TlsFiles {
  std::string ca;    // DOCKER_CERT_PATH/ca.pem
  std::string cert;  // DOCKER_CERT_PATH/cert.pem
  std::string key;   // DOCKER_CERT_PATH/key.pem
};

struct Endpoint {
  std::string unix_socket;  // empty for TCP
  std::string base_url;     // "http://localhost", "http://host:port" or "https://host:port"
  std::string shown;        // for messages: the socket path or URL
  std::optional<TlsFiles> tls;

  // Plain TCP to a host that is not this one: anyone on the path can drive
  // the engine and read every job.
  bool plaintext_remote() const;
};

inline constexpr const char* kDefaultSocket = "/var/run/docker.sock";
inline constexpr const char* kApiPrefix = "/v1.41";

Expected<Endpoint> parse_endpoint(const std::string& docker_host);

// Docker's conventions: a non-empty DOCKER_TLS_VERIFY turns on TLS for a
// tcp:// host, verifying the engine against DOCKER_CERT_PATH/ca.pem and
// presenting cert.pem and key.pem from it (DOCKER_CERT_PATH defaults to
// ~/.docker). The files must be readable; the error names the missing one.
Expected<Endpoint> endpoint_from(const std::string& docker_host, const std::string& tls_verify,
                                 const std::string& cert_path, const std::string& home);
// From the environment; an unset or empty DOCKER_HOST means the local socket.
Expected<Endpoint> endpoint_from_env();

}  // namespace pyjudge::runner
