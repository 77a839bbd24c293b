#include "judge/cli/engine_setup.h"

#include <spdlog/spdlog.h>

#include "judge/cli/errors.h"
#include "runner/engine/image.h"
#include "runner/sandbox/cleanup.h"

namespace pyjudge::cli {

runner::Endpoint engine_endpoint() {
  auto ep = runner::endpoint_from_env();
  if (!ep) throw UsageError(ep.error().message);
  if (ep->plaintext_remote())
    spdlog::warn(
        "DOCKER_HOST {} is plain TCP to another machine: anyone on the network between can run containers "
        "there and read every job; use TLS (DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)",
        ep->shown);
  return *ep;
}

runner::Engine connect_engine() {
  const auto ep = engine_endpoint();
  runner::Engine engine(ep);
  if (auto s = engine.ping(); !s) throw UnavailableError(runner::engine_unavailable_message(ep, s.error().message));
  spdlog::debug("engine at {} answers", ep.shown);
  return engine;
}

void require_image(runner::Engine& engine, const std::string& image) {
  if (auto s = runner::check_image(engine, image); !s) throw UnavailableError(s.error().message);
}

void reap_orphans(runner::Engine& engine, const runner::Session& session) {
  auto n = runner::remove_orphan_containers(engine, session, false);
  if (!n)
    spdlog::warn("cannot look for leftover containers: {}", n.error().message);
  else if (n->removed > 0)
    spdlog::info("removed {} container(s) left by dead pyjudge processes", n->removed);
}

runner::EngineCapacity require_capacity(runner::Engine& engine) {
  auto cap = runner::engine_capacity(engine);
  if (!cap) throw UnavailableError("cannot read the engine's capacity: " + cap.error().message);
  spdlog::debug("engine capacity: {} CPUs, {} bytes of memory", cap->ncpu, cap->mem_total);
  return *cap;
}

void require_fit(const runner::Limits& limits, const runner::EngineCapacity& cap, const std::string& where) {
  if (auto why = runner::limits_beyond(limits, cap)) throw UsageError(where.empty() ? *why : where + ": " + *why);
}

}  // namespace pyjudge::cli
