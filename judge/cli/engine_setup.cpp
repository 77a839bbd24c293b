#include "judge/cli/engine_setup.h"

#include <spdlog/spdlog.h>

#include "runner/sandbox/cleanup.h"
#include "judge/cli/errors.h"
#include "runner/engine/image.h"

namespace pyjudge::cli {

Endpoint engine_endpoint() {
  auto ep = endpoint_from_env();
  if (!ep) throw UsageError(ep.error().message);
  if (ep->plaintext_remote())
    spdlog::warn(
        "DOCKER_HOST {} is plain TCP to another machine: anyone on the network between can run containers "
        "there and read every job; use TLS (DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)",
        ep->shown);
  return *ep;
}

Engine connect_engine() {
  const auto ep = engine_endpoint();
  Engine engine(ep);
  if (auto s = engine.ping(); !s) throw UnavailableError(engine_unavailable_message(ep, s.error().message));
  spdlog::debug("engine at {} answers", ep.shown);
  return engine;
}

void require_image(Engine& engine, const std::string& image) {
  if (auto s = check_image(engine, image); !s) throw UnavailableError(s.error().message);
}

void reap_orphans(Engine& engine, const Session& session) {
  auto n = remove_orphan_containers(engine, session, false);
  if (!n)
    spdlog::warn("cannot look for leftover containers: {}", n.error().message);
  else if (n->removed > 0)
    spdlog::info("removed {} container(s) left by dead pyjudge processes", n->removed);
}

EngineCapacity require_capacity(Engine& engine) {
  auto cap = engine_capacity(engine);
  if (!cap) throw UnavailableError("cannot read the engine's capacity: " + cap.error().message);
  spdlog::debug("engine capacity: {} CPUs, {} bytes of memory", cap->ncpu, cap->mem_total);
  return *cap;
}

void require_fit(const Limits& limits, const EngineCapacity& cap, const std::string& where) {
  if (auto why = limits_beyond(limits, cap)) throw UsageError(where.empty() ? *why : where + ": " + *why);
}

}  // namespace pyjudge::cli
