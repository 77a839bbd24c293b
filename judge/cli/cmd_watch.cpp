// pyjudge watch: judge files as they are dropped into a spool folder.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "judge/cli/commands.h"
#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "judge/cli/version.h"
#include "judge/spool/serve.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;  // NOLINT(google-build-using-namespace): the CLI is a thin layer over the judging
                                 // library

int cmd_watch(const Args& args) {
  po::options_description d("watch options");
  // clang-format off
  d.add_options()
    ("spool", po::value<std::string>()->required(), "the spool folder (positional; created if missing)")
    ("problem", po::value<std::string>(), "grade every dropped ID.py against this problem")
    ("once", "judge what is in the inbox now, then exit with the batch exit-code rules")
    ("settle", po::value<int>()->default_value(500), "milliseconds a job's files must be quiet before it is claimed");
  // clang-format on
  add_limit_options(d);
  add_pool_options(d);
  add_isolation_option(d);
  add_engine_options(d);
  add_log_options(d);
  po::positional_options_description pos;
  pos.add("spool", 1);
  po::variables_map vm;
  if (!parse_or_help("usage: pyjudge watch SPOOL [--problem PROBLEM] [--jobs N] [--once] [limits]", d, args, vm, &pos))
    return kExitOk;
  // Arrivals and verdicts are what a watcher is for: log them unless told otherwise.
  setup_logging(vm, "info");

  WatchOptions opt;
  opt.spool = vm["spool"].as<std::string>();
  opt.once = vm.count("once") > 0;
  opt.image = vm["image"].as<std::string>();
  opt.seccomp = seccomp_from(vm);
  opt.version = kVersion;
  opt.defaults = limits_from(vm);
  const PoolOptions pool = pool_options_from(vm);
  opt.concurrency = pool.concurrency;
  opt.retries = pool.retries;
  opt.isolation = isolation_from(vm);
  if (vm["settle"].as<int>() < 0 || vm["settle"].as<int>() > 600'000)
    throw UsageError("--settle must be in [0, 600000] ms");
  opt.settle = std::chrono::milliseconds(vm["settle"].as<int>());
  if (vm.count("problem")) {
    opt.problem = load_problem_from(vm, vm["problem"].as<std::string>());
  }

  install_interrupt_handlers(/*hup_reloads=*/true);
  const runner::Session session = runner::Session::current();
  {
    runner::Engine engine = connect_engine();
    opt.capacity = require_capacity(engine);
    if (opt.problem) require_fit(opt.problem->limits, opt.capacity, opt.problem->spec_file.string());
    require_image(engine, opt.image);
    reap_orphans(engine, session);
  }
  const bool tty = ::isatty(2) && !pool.quiet;
  const auto watched = run_watch(
      opt, session, [] { reopen_log_file(); },  // SIGHUP: after log rotation
      [&](const std::string& line) {
        if (tty) (void)std::fprintf(stderr, "\r\033[K[watch] %s", line.c_str());
      });
  if (tty) (void)std::fprintf(stderr, "\r\033[K");
  if (!watched) throw UsageError(watched.error().message);
  const WatchCounts& counts = *watched;
  std::cerr << "judged " << counts.judged << ", rejected " << counts.rejected << "\n";
  if (interrupt_signal()) return exit_for_signal(interrupt_signal());
  if (counts.worst_exit == kExitOk && counts.rejected > 0) return kExitBadInput;
  return counts.worst_exit;
}

}  // namespace pyjudge::cli
