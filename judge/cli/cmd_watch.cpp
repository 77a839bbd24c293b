// pyjudge watch: judge files as they are dropped into a spool folder.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "judge/cli/commands.h"
#include "judge/cli/errors.h"
#include "judge/cli/executor_setup.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "judge/cli/version.h"
#include "judge/spool/serve.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

void watch_options(po::options_description& d, po::positional_options_description& pos) {
  // clang-format off
  d.add_options()
    ("spool", po::value<std::string>()->required(), "the spool folder (positional; created if missing)")
    ("problem", po::value<std::string>(), "grade every dropped ID.py against this problem")
    ("once", "judge what is in the inbox now, then exit with the batch exit-code rules")
    ("settle", po::value<int>()->default_value(500), "milliseconds a job's files must be quiet before it is claimed");
  // clang-format on
  add_limit_options(d);
  add_isolation_option(d);
  add_compiler_option(d);
  add_executor_options(d);
  add_log_options(d);
  pos.add("spool", 1);
}

int cmd_watch(const po::variables_map& vm) {
  SpoolOptions opt;
  opt.spool = vm["spool"].as<std::string>();
  opt.once = vm.count("once") > 0;
  opt.version = kVersion;
  opt.defaults = limits_from(vm);
  opt.isolation = isolation_from(vm);
  if (vm["settle"].as<int>() < 0 || vm["settle"].as<int>() > 600'000)
    throw UsageError("--settle must be in [0, 600000] ms");
  opt.settle = std::chrono::milliseconds(vm["settle"].as<int>());
  if (vm.count("problem")) opt.problem = load_problem_from(vm, vm["problem"].as<std::string>());

  install_interrupt_handlers(/*hup_reloads=*/true);
  const auto executor = open_executor(vm, runner::Session::current());
  if (opt.problem) {
    require_accepted(*executor, *opt.problem);
    opt.compiler = compiler_for(vm, *opt.problem);
  }
  // watch's progress is its status line: running, judged, verdicts, rejected.
  const bool tty = ::isatty(2) && !pool_options_from(vm).quiet;
  const auto served = serve_spool(
      opt, *executor, [] { reopen_log_file(); },  // SIGHUP: after log rotation
      [&](const std::string& line) {
        if (tty) (void)std::fprintf(stderr, "\r\033[K[watch] %s", line.c_str());
      });
  if (tty) (void)std::fprintf(stderr, "\r\033[K");
  if (!served) throw UsageError(served.error().message);
  const SpoolCounts& counts = *served;
  std::cerr << "judged " << counts.judged << ", rejected " << counts.rejected << "\n";
  if (interrupt_signal()) return exit_for_signal(interrupt_signal());
  if (counts.worst_exit == kExitOk && counts.rejected > 0) return kExitBadInput;
  return counts.worst_exit;
}

}  // namespace pyjudge::cli
