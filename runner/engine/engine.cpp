#include "runner/engine/engine.h"

#include <cctype>

#include <curl/curl.h>

#include "runner/engine/install_paths.h"

namespace pyjudge::runner {

namespace {

std::string url_escape(const std::string& s) {
  std::string out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The engine answers errors as {"message": "..."}.
Error engine_error(const HttpResponse& r, const std::string& what) {
  std::string msg = r.body;
  try {
    msg = nlohmann::json::parse(r.body).value("message", r.body);
  } catch (const nlohmann::json::exception&) {
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r')) msg.pop_back();
  return fail(what + ": engine answered " + std::to_string(r.status) + ": " + msg, r.status);
}

Expected<nlohmann::json> parse_json(const HttpResponse& r, const std::string& what) {
  try {
    return nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::exception& e) {
    return fail(what + ": engine sent bad JSON: " + e.what());
  }
}

}  // namespace

std::string engine_unavailable_message(const Endpoint& ep, const std::string& full_detail) {
  std::string detail = full_detail;
  if (const std::string prefix = "engine at " + ep.shown + ": "; detail.starts_with(prefix))
    detail.erase(0, prefix.size());
  if (ep.tls && detail.starts_with("TLS"))
    return "the engine at " + ep.shown + " cannot be reached: " + detail +
           "; check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) against the engine's --tlscacert and --tlscert";
  const std::string start = is_installed() ? "start it ('sudo dockerd &', or 'sudo systemctl start docker')"
                                           : "start it with 'sudo scripts/setup.sh' (or 'dockerd &')";
  return "no Docker engine answers at " + ep.shown + " (" + detail + "); " + start + ", or set DOCKER_HOST";
}

Expected<HttpResponse> Engine::call(const char* method, const std::string& path, const std::string& body,
                                    long timeout_ms) {
  return http_.request(method, kApiPrefix + path, body, timeout_ms);
}

Status Engine::ping() {
  auto r = http_.request("GET", "/_ping", {}, 5000);
  if (!r) return r.error();
  if (r->status != 200) return engine_error(*r, "ping");
  return ok();
}

Expected<nlohmann::json> Engine::version() {
  auto r = call("GET", "/version");
  if (!r) return r.error();
  if (r->status != 200) return engine_error(*r, "version");
  return parse_json(*r, "version");
}

Expected<nlohmann::json> Engine::info() {
  auto r = call("GET", "/info");
  if (!r) return r.error();
  if (r->status != 200) return engine_error(*r, "info");
  return parse_json(*r, "info");
}

Expected<nlohmann::json> Engine::inspect_image(const std::string& name) {
  auto r = call("GET", "/images/" + url_escape(name) + "/json");
  if (!r) return r.error();
  if (r->status != 200) return engine_error(*r, "image " + name);
  return parse_json(*r, "image " + name);
}

Expected<std::string> Engine::create_container(const std::string& name, const nlohmann::json& spec) {
  auto r = call("POST", "/containers/create?name=" + url_escape(name), spec.dump());
  if (!r) return r.error();
  if (r->status != 201) return engine_error(*r, "create container");
  auto j = parse_json(*r, "create container");
  if (!j) return j.error();
  return j->value("Id", std::string());
}

Expected<RawConnection> Engine::attach(const std::string& id) {
  const std::string head = "POST " + std::string(kApiPrefix) + "/containers/" + id +
                           "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                           "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
  return RawConnection::upgrade(http_.endpoint(), head, 30'000);
}

Status Engine::start(const std::string& id) {
  auto r = call("POST", "/containers/" + id + "/start");
  if (!r) return r.error();
  if (r->status != 204 && r->status != 304) return engine_error(*r, "start container");
  return ok();
}

Status Engine::kill(const std::string& id) {
  auto r = call("POST", "/containers/" + id + "/kill?signal=KILL", {}, 15'000);
  if (!r) return r.error();
  // 404: already removed; 409: not running. Both mean it is not running.
  if (r->status != 204 && r->status != 404 && r->status != 409) return engine_error(*r, "kill container");
  return ok();
}

Status Engine::remove(const std::string& id) {
  auto r = call("DELETE", "/containers/" + id + "?force=1&v=1", {}, 30'000);
  if (!r) return r.error();
  if (r->status != 204 && r->status != 404) return engine_error(*r, "remove container");
  return ok();
}

Expected<nlohmann::json> Engine::inspect_container(const std::string& id) {
  auto r = call("GET", "/containers/" + id + "/json");
  if (!r) return r.error();
  if (r->status != 200) return engine_error(*r, "inspect container");
  return parse_json(*r, "inspect container");
}

Expected<int> Engine::wait(const std::string& id, long timeout_ms) {
  auto r = call("POST", "/containers/" + id + "/wait?condition=not-running", {}, timeout_ms);
  if (!r) return r.error();
  if (r->status != 200) return engine_error(*r, "wait container");
  auto j = parse_json(*r, "wait container");
  if (!j) return j.error();
  return j->value("StatusCode", -1);
}

Expected<nlohmann::json> Engine::list_containers(const std::map<std::string, std::string>& labels) {
  nlohmann::json filters;
  for (const auto& [k, v] : labels) {
    std::string filter = k;  // "KEY" or "KEY=VALUE"
    if (!v.empty()) filter.append("=").append(v);
    filters["label"].push_back(filter);
  }
  auto r = call("GET", "/containers/json?all=1&filters=" + url_escape(filters.dump()));
  if (!r) return r.error();
  if (r->status != 200) return engine_error(*r, "list containers");
  return parse_json(*r, "list containers");
}

}  // namespace pyjudge::runner
