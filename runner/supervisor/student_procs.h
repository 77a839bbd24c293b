// A function run's student processes (uid kSandboxUid), seen from PID 1:
// ending them all but the zygote between tests, and the CPU time of one
// process, so that a test's CPU time can leave out the staff's.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace pyjudge::supervisor {

// SIGKILLs every process of the student's uid but `keep` (-1: none), found
// in /proc, until a scan finds none left to kill (at most `rounds` scans).
// The caller reaps. Returns false when processes were still appearing after
// the last round (a fork loop in the zygote itself).
bool kill_student_processes(pid_t keep, int rounds = 64);

// The CPU time of process `pid` so far, all its threads: schedstat's
// nanoseconds, else stat's clock ticks; nullopt when it is gone.
std::optional<std::int64_t> process_cpu_ns(pid_t pid);

// The resident memory of process `pid` (statm), or nullopt when it is gone.
std::optional<std::int64_t> resident_bytes(pid_t pid);

// This process's own CPU time (getrusage).
std::int64_t own_cpu_ns();

}  // namespace pyjudge::supervisor
