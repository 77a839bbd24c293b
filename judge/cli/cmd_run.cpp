// pyjudge run: one job, its result in OUT/ID/, its status as the exit code.
#include <iostream>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/cli/commands.h"
#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "judge/cli/output_dir.h"
#include "runner/job/job.h"
#include "runner/sandbox/job_runner.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

void run_options(po::options_description& d, po::positional_options_description& pos) {
  // clang-format off
  d.add_options()
    ("id", po::value<std::string>(), "job id: 1-64 of A-Z a-z 0-9 . _ -; names OUT/ID/ (default: the script's name, made id-safe)")
    ("script", po::value<std::string>()->required(), "the Python script to run (or the first positional argument)")
    ("stdin", po::value<std::string>(), "file fed to the script's stdin (or the second positional argument; default: empty stdin)")
    ("out", po::value<std::string>()->default_value("results"), "folder for ID/{stdout,stderr,result.json}")
    ("json", "print result.json on stdout instead of a summary line");
  // clang-format on
  add_limit_options(d);
  add_engine_options(d);
  add_log_options(d);
  pos.add("script", 1).add("stdin", 1);
}

int cmd_run(const po::variables_map& vm) {
  runner::Job job;
  job.script = vm["script"].as<std::string>();
  job.id = vm.count("id") ? vm["id"].as<std::string>() : runner::id_from_stem(job.script.stem().string(), 64);
  if (vm.count("stdin")) job.stdin_file = vm["stdin"].as<std::string>();
  job.limits = limits_from(vm);
  if (auto s = validate(job); !s) throw UsageError(s.error().message);
  const auto out = prepare_output_dir(vm["out"].as<std::string>());

  install_interrupt_handlers();
  runner::RunContext ctx{vm["image"].as<std::string>(), out, runner::Session::current(), 1, {}, seccomp_from(vm)};
  runner::Engine engine = connect_engine();
  require_fit(job.limits, require_capacity(engine), "");
  require_image(engine, ctx.image);
  reap_orphans(engine, ctx.session);

  const runner::JobResult r = runner::run_job(engine, job, ctx);
  if (r.interrupted) {
    std::cerr << "pyjudge: interrupted; container removed, no result written\n";
    return exit_for_signal(interrupt_signal());
  }
  if (vm.count("json")) {
    std::cout << to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << r.id << ": " << to_string(r.verdict) << " (status " << r.status() << ") in "
              << fmt::format("{:.3f}", r.wall_time) << " s" << (r.message.empty() ? "" : " - " + r.message)
              << "; results in " << (out / r.id).string() << "/\n";
  }
  return exit_for_status(r.status());
}

}  // namespace pyjudge::cli
