// What a process the supervisor forks needs before it becomes another
// program: its first fds, signals as a fresh process has them, another uid
// for good, and python3's exec. Shared by function runs (the staff's
// process, the student's zygote) and script containers' zygote.
#pragma once

namespace pyjudge::supervisor {

// In a forked child: fds 1-3 as given (-1: /dev/null; fd 0 is always
// /dev/null), everything else closed, signals unblocked and SIGPIPE at its
// default. False when any step failed.
bool child_fds(int fd1, int fd2, int fd3);

// Takes uid, its gid and that gid as the only supplementary group (as the
// engine gives a container started as that user) for good; true at once
// when it already is ours.
bool become(unsigned uid);

// Execs `python3 -I -B script extra...` (at most 3 extras, null-ended) with
// a clean environment of its own and HOME=home: the function harness's
// processes. Never returns: a failed exec is written to stderr, exit 127.
[[noreturn]] void exec_python(const char* script, const char* const* extra, const char* home);

}  // namespace pyjudge::supervisor
