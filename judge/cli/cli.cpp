#include "judge/cli/cli.h"

#include <array>
#include <iostream>
#include <string_view>

#include <spdlog/spdlog.h>

#include "judge/cli/commands.h"
#include "judge/cli/errors.h"
#include "judge/cli/logging.h"
#include "judge/cli/version.h"
#include "judge/exit_codes.h"

namespace pyjudge::cli {

namespace {

// A command: what `pyjudge --help` says of it, its usage line, its options
// (and positional arguments), what it does with them, and the log level it
// starts at.
struct Command {
  std::string_view name;
  std::string_view summary;
  const char* usage;
  void (*options)(po::options_description&, po::positional_options_description&);
  int (*run)(const po::variables_map&);
  const char* log_level;
};

// Watch logs arrivals and verdicts (info): they are what a watcher is for.
// clang-format off
const std::array kCommands = {
  Command{"run", "run one script in a fresh container; exit 0, 124 or 255 by its status",
          "usage: pyjudge run SCRIPT [STDIN] [--id ID] [limits] [--out DIR] [--json]\n" "       pyjudge run --script FILE [--stdin FILE] [--id ID] ...",
          run_options, cmd_run, ""},
  Command{"batch", "run a JSON Lines or CSV file of jobs on a pool; summary.json at the end",
          "usage: pyjudge batch JOBS [--jobs N] [--out DIR] [--fail-fast] [--retries K] [--resume] " "[--queue URL] [limits]",
          batch_options, cmd_batch, ""},
  Command{"grade", "grade submissions against a problem's tests; table, report.json, JUnit, CSV",
          "usage: pyjudge grade PROBLEM SUBMISSION... [--jobs N] [--isolation submission|test] [--out DIR] " "[--format text|json|junit|csv|html|gradescope] [--report FILE] [--resume] [--queue URL]",
          grade_options, cmd_grade, ""},
  Command{"verify", "grade a problem's own sample submissions; exit 0 only if each gets its expected verdict",
          "usage: pyjudge verify PROBLEM... [--jobs N] [--out DIR] [--format text|json] [--queue URL]",
          verify_options, cmd_verify, ""},
  Command{"watch", "judge files dropped into a spool folder, crash-safely, as they arrive",
          "usage: pyjudge watch SPOOL [--problem PROBLEM] [--jobs N] [--once] [--queue URL] [limits]",
          watch_options, cmd_watch, "info"},
  Command{"worker", "run jobs from a judge farm's Redis queue on this machine's engine",
          "usage: pyjudge worker --queue redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] [--queue-name NAME] " "[--jobs N] [--lease S] [--image IMAGE] [--runtime NAME]\n\n" "Every job runs with this worker's --image, --runtime and --seccomp (a farm job cannot choose " "them). The first SIGINT or SIGTERM drains (exit 0), the second kills the running jobs (exit " "130/143).",
          worker_options, cmd_worker, ""},
  Command{"doctor", "report the engine, its limits support and the runner image",
          "usage: pyjudge doctor [--image IMG] [--runtime NAME] [--seccomp pyjudge|default] [--json]",
          doctor_options, cmd_doctor, ""},
  Command{"cleanup", "remove containers and temp files left by dead pyjudge processes",
          "usage: pyjudge cleanup [--all] [--out DIR]...",
          cleanup_options, cmd_cleanup, ""},
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

// Every command opens the same way: its options parsed (bad ones are
// UsageError), --help answered, logging set up.
int dispatch(const Command& c, const Args& args) {
  po::options_description d(std::string(c.name) + " options");
  po::positional_options_description pos;
  c.options(d, pos);
  po::variables_map vm;
  if (!parse_or_help(c.usage, d, args, vm, &pos)) return judge::kExitOk;
  setup_logging(vm, c.log_level);
  return c.run(vm);
}

}  // namespace

int main(int argc, char** argv) {
  const Args all(argv + 1, argv + argc);
  try {
    if (all.empty()) {
      print_usage(std::cerr);
      return judge::kExitBadInput;
    }
    const std::string& first = all.front();
    if (first == "--help" || first == "-h" || first == "help") {
      print_usage(std::cout);
      return judge::kExitOk;
    }
    if (first == "--version" || first == "-V") {
      std::cout << "pyjudge " << kVersion << "\n";
      return judge::kExitOk;
    }
    for (const auto& c : kCommands)
      if (c.name == first) return dispatch(c, Args(all.begin() + 1, all.end()));
    throw UsageError("unknown command '" + first + "' (try 'pyjudge --help')");
  } catch (const UsageError& e) {
    std::cerr << "pyjudge: " << e.what() << "\n";
    return judge::kExitBadInput;
  } catch (const UnavailableError& e) {
    std::cerr << "pyjudge: " << e.what() << "\n";
    return judge::kExitUnavailable;
  } catch (const std::exception& e) {
    std::cerr << "pyjudge: internal error: " << e.what() << "\n";
    return judge::kExitFailed;
  }
}

}  // namespace pyjudge::cli
