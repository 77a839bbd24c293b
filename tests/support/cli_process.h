// Runs the pyjudge binary as a child process for the CLI tests.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace pyjudge::testing {

struct CliResult {
  int exit_code = -1;  // 128+signal when the child died of a signal
  std::string out;
  std::string err;
};

// Runs `pyjudge ARGS...` with extra environment variables (and stdin from
// `stdin_path`, /dev/null by default) and waits for it.
CliResult run_pyjudge(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                      const std::string& stdin_path = "/dev/null");

// Starts `pyjudge ARGS...` with output to files in `dir`; returns its pid.
pid_t spawn_pyjudge(const std::vector<std::string>& args, const std::string& dir);
// Waits for `pid`; the exit code as a shell would show it.
int wait_exit(pid_t pid);

}  // namespace pyjudge::testing
