// The run's working state: unpacking a run's bundle into /tmp, and wiping
// everything a run can leave behind (/tmp, /dev/shm, System V IPC objects)
// so that the next run of the same container starts clean.
#pragma once

#include <cstdint>
#include <string>

#include "runner/supervisor/channel.h"
#include "runner/supervisor/wipe.h"

namespace pyjudge::supervisor {

// Reads exactly `bundle_bytes` of BUNDLE frames from `in` and unpacks the
// tar stream's plain files into `dir`. Returns "" on success, else what went
// wrong; `in_sync` is false when the channel itself broke (fatal).
// A function run's bundle (`functions`) holds staff/ and work/ paths instead,
// each written as its owner (protocol.h).
std::string unpack_bundle(InChannel& in, std::uint64_t bundle_bytes, const std::string& dir, bool& in_sync,
                          bool functions = false);

// empty_directory(dir), the wipe of /tmp and /dev/shm, is in wipe.h.

// Removes every System V shared memory segment, semaphore set and message
// queue of this IPC namespace that this user may remove.
void remove_sysv_ipc();

}  // namespace pyjudge::supervisor
