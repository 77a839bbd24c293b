// Exit codes of the pyjudge command, as documented in README.md: part of
// the judging library because batch and watch outcomes map onto them.
#pragma once

namespace pyjudge::judge {

enum ExitCode : int {
  kExitOk = 0,           // every job ran and exited 0
  kExitNotAccepted = 1,  // grade: graded, some submission not accepted
  kExitNotGraded = 4,    // grade: some submission could not be graded (IE persisted)
  kExitBadInput = 2,     // bad usage or bad input; nothing ran
  kExitUnavailable = 3,  // engine or image unavailable
  kExitTimeout = 124,    // the worst status was a time-out
  kExitFailed = 255,     // some job had status -1
};

// The exit code of a single job's status: 0, 124 or 255 (for -1).
inline int exit_for_status(int status) {
  if (status == 0) return kExitOk;
  if (status == 124) return kExitTimeout;
  return kExitFailed;
}

// 128 + signal for an interrupted run (130 for SIGINT, 143 for SIGTERM).
inline int exit_for_signal(int sig) { return 128 + sig; }

}  // namespace pyjudge::judge
