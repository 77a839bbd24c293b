#include "judge/cli/cli.h"

#include <array>
#include <iostream>
#include <string_view>

#include <spdlog/spdlog.h>

#include "judge/cli/commands.h"
#include "judge/cli/errors.h"
#include "judge/cli/version.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;  // NOLINT(google-build-using-namespace): the CLI is a thin layer over the judging
                                 // library

namespace {

struct Command {
  std::string_view name;
  int (*run)(const Args&);
  std::string_view summary;
};

// clang-format off
constexpr std::array kCommands = {
  Command{"run",     cmd_run,     "run one script in a fresh container; exit 0, 124 or 255 by its status"},
  Command{"batch",   cmd_batch,   "run a JSON Lines or CSV file of jobs on a pool; summary.json at the end"},
  Command{"grade",   cmd_grade,   "grade submissions against a problem's tests; table, report.json, JUnit, CSV"},
  Command{"verify",  cmd_verify,  "grade a problem's own sample submissions; exit 0 only if each gets its expected verdict"},
  Command{"watch",   cmd_watch,   "judge files dropped into a spool folder, crash-safely, as they arrive"},
  Command{"worker",  cmd_worker,  "run jobs from a judge farm's Redis queue on this machine's engine"},
  Command{"doctor",  cmd_doctor,  "report the engine, its limits support and the runner image"},
  Command{"cleanup", cmd_cleanup, "remove containers and temp files left by dead pyjudge processes"},
};
// clang-format on

void print_usage(std::ostream& out) {
  out << "pyjudge " << kVersion << " - a batch judge for untrusted Python scripts\n\n"
      << "usage: pyjudge COMMAND [OPTIONS]   (pyjudge COMMAND --help for its options)\n\ncommands:\n";
  for (const auto& c : kCommands) out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
  out << "\nexit codes: 0 ok, 124 time limit, 255 other failure (grade, verify: 1 not all as wanted, 4 not graded), 2 "
         "bad input,\n"
         "            3 engine or image unavailable, 130/143 interrupted\n";
}

}  // namespace

int main(int argc, char** argv) {
  const Args all(argv + 1, argv + argc);
  try {
    if (all.empty()) {
      print_usage(std::cerr);
      return kExitBadInput;
    }
    const std::string& first = all.front();
    if (first == "--help" || first == "-h" || first == "help") {
      print_usage(std::cout);
      return kExitOk;
    }
    if (first == "--version" || first == "-V") {
      std::cout << "pyjudge " << kVersion << "\n";
      return kExitOk;
    }
    for (const auto& c : kCommands)
      if (c.name == first) return c.run(Args(all.begin() + 1, all.end()));
    throw UsageError("unknown command '" + first + "' (try 'pyjudge --help')");
  } catch (const UsageError& e) {
    std::cerr << "pyjudge: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const UnavailableError& e) {
    std::cerr << "pyjudge: " << e.what() << "\n";
    return kExitUnavailable;
  } catch (const std::exception& e) {
    std::cerr << "pyjudge: internal error: " << e.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace pyjudge::cli
