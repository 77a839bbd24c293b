// Engine set-up shared by the commands that run jobs: connect, check the
// image, and reap what dead pyjudge processes left behind.
#pragma once

#include <string>

#include "runner/engine/engine.h"
#include "runner/engine/engine_capacity.h"
#include "runner/sandbox/session.h"

namespace pyjudge::cli {

// DOCKER_HOST and Docker's TLS variables; a bad value throws UsageError,
// plain TCP to another machine is warned about.
runner::Endpoint engine_endpoint();

// Throws UnavailableError (exit 3) naming the socket or image and the fix;
// UsageError for a malformed DOCKER_HOST.
runner::Engine connect_engine();
void require_image(runner::Engine& engine, const std::string& image);
void reap_orphans(runner::Engine& engine, const runner::Session& session);
// What the engine's machine can honour (UnavailableError when /info fails).
runner::EngineCapacity require_capacity(runner::Engine& engine);
// Throws UsageError ("WHERE: cpus 64 is more than the engine's 2 CPUs") when
// `limits` cannot be honoured there: bad input, found before anything runs.
void require_fit(const runner::Limits& limits, const runner::EngineCapacity& cap, const std::string& where);

}  // namespace pyjudge::cli
