// Cleanup: finds pyjudge's containers by label and removes those whose owner
// process is gone (or all of them), and the temp files a crash left in OUT.
#pragma once

#include <filesystem>

#include "runner/engine/engine.h"
#include "runner/sandbox/session.h"

namespace pyjudge::runner {

struct CleanupCount {
  int removed = 0;
  int kept = 0;  // live owners' containers, left alone
};

// `everything`: also the containers of live pyjudge processes.
Expected<CleanupCount> remove_orphan_containers(Engine& engine, const Session& self, bool everything);
// Removes every container of `session` (the safety net after an interrupt).
Expected<int> remove_session_containers(Engine& engine, const Session& session);
// Removes ".NAME.tmp-XXXX" files anywhere under `out`.
int remove_temp_files(const std::filesystem::path& out);

}  // namespace pyjudge::runner
