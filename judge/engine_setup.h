// Engine set-up shared by the commands that run jobs: connect, check the
// image, and reap what dead pyjudge processes left behind.
#pragma once

#include <string>

#include "engine.h"
#include "session.h"

namespace pyjudge::cli {

// Throws UnavailableError (exit 3) naming the socket or image and the fix;
// UsageError for a malformed DOCKER_HOST.
Engine connect_engine();
void require_image(Engine& engine, const std::string& image);
void reap_orphans(Engine& engine, const Session& session);

}  // namespace pyjudge::cli
