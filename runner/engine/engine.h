// Engine: the Docker Engine API calls pyjudge makes, one method each, over a
// persistent HttpClient. Errors carry the engine's own message.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/engine/http_client.h"
#include "runner/engine/raw_connection.h"
#include "runner/shared/expected.h"

namespace pyjudge::runner {

class Engine {
 public:
  explicit Engine(Endpoint endpoint) : http_(std::move(endpoint)) {}

  Status ping();
  Expected<nlohmann::json> version();
  Expected<nlohmann::json> info();
  // 404 comes back as an Error with http_status 404.
  Expected<nlohmann::json> inspect_image(const std::string& name);

  Expected<std::string> create_container(const std::string& name, const nlohmann::json& spec);
  // Opens the hijacked attach stream (stdin, stdout, stderr) before start.
  Expected<RawConnection> attach(const std::string& id);
  Status start(const std::string& id);
  // SIGKILL; a container that is already gone or stopped is not an error.
  Status kill(const std::string& id);
  Status remove(const std::string& id);  // force; 404 is not an error
  Expected<nlohmann::json> inspect_container(const std::string& id);
  // Blocks until the container is not running; returns its exit code.
  Expected<int> wait(const std::string& id, long timeout_ms);
  // Containers (running or not) that carry every label given.
  Expected<nlohmann::json> list_containers(const std::map<std::string, std::string>& labels);

  const Endpoint& endpoint() const { return http_.endpoint(); }

 private:
  Expected<HttpResponse> call(const char* method, const std::string& path, const std::string& body = {},
                              long timeout_ms = 60'000);
  HttpClient http_;
};

// The message to show when no engine answers: names the socket and the fix.
std::string engine_unavailable_message(const Endpoint& ep, const std::string& detail);

}  // namespace pyjudge::runner
