// pyjudge batch: a jobs file through the TBB pool, summary.json at the end.
#include <unistd.h>

#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/batch.h"
#include "judge/cli/commands.h"
#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "judge/cli/output_dir.h"
#include "judge/cli/progress.h"
#include "judge/cli/queue_setup.h"
#include "judge/farm/farm_producer.h"
#include "judge/jobs_file.h"
#include "judge/summary.h"
#include "runner/job/files.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;  // NOLINT(google-build-using-namespace): the CLI is a thin layer over the judging
                                 // library

namespace {

// Every job `check` refuses, with its line; false when there was one.
bool report_bad_jobs(const JobsFile& file, const std::function<Status(const runner::Job&)>& check) {
  std::vector<std::string> bad;
  for (std::size_t i = 0; i < file.jobs.size(); ++i)
    if (auto s = check(file.jobs[i]); !s)
      bad.push_back(fmt::format("{}:{}: job '{}': {}", file.shown, file.lines[i], file.jobs[i].id, s.error().message));
  for (const auto& e : bad) std::cerr << "pyjudge: " << e << "\n";
  if (!bad.empty()) std::cerr << "pyjudge: " << bad.size() << " problem(s) in the jobs file; nothing was run\n";
  return bad.empty();
}

}  // namespace

int cmd_batch(const Args& args) {
  po::options_description d("batch options");
  // clang-format off
  d.add_options()
    ("jobs-file", po::value<std::string>()->required(), "JSON Lines or CSV jobs file, or - for stdin (positional)")
    ("out", po::value<std::string>()->default_value("results"), "folder for ID/{stdout,stderr,result.json} and summary.json")
    ("fail-fast", "stop starting jobs after the first job with a non-zero status")
    ("resume", "skip jobs whose OUT/ID/result.json is already complete (IE results are re-run)");
  // clang-format on
  add_limit_options(d);
  add_pool_options(d);
  add_engine_options(d);
  add_queue_options(d);
  add_log_options(d);
  po::positional_options_description pos;
  pos.add("jobs-file", 1);
  po::variables_map vm;
  if (!parse_or_help("usage: pyjudge batch JOBS [--jobs N] [--out DIR] [--fail-fast] [--retries K] [--resume] "
                     "[--queue URL] [limits]",
                     d, args, vm, &pos))
    return kExitOk;
  setup_logging(vm);

  BatchOptions opt;
  opt.fail_fast = vm.count("fail-fast") > 0;
  opt.resume = vm.count("resume") > 0;
  opt.image = vm["image"].as<std::string>();
  opt.seccomp = seccomp_from(vm);
  const PoolOptions pool = pool_options_from(vm);
  opt.concurrency = pool.concurrency;
  opt.retries = pool.retries;
  const runner::Limits defaults = limits_from(vm);

  auto file = load_jobs(vm["jobs-file"].as<std::string>(), defaults);
  if (!file.errors.empty()) {
    for (const auto& e : file.errors) std::cerr << "pyjudge: " << e << "\n";
    std::cerr << "pyjudge: " << file.errors.size() << " problem(s) in the jobs file; nothing was run\n";
    return kExitBadInput;
  }
  opt.out = prepare_output_dir(vm["out"].as<std::string>());
  spdlog::debug("batch: {} jobs, concurrency {}, retries {}, out {}", file.jobs.size(), opt.concurrency, opt.retries,
                opt.out.string());

  install_interrupt_handlers();
  const runner::Session session = runner::Session::current();
  const auto farm = farm_target_from(vm);
  if (farm) {
    refuse_worker_choices(vm);
    if (!report_bad_jobs(file, [](const runner::Job& j) { return farm_accepts(j); })) return kExitBadInput;
    require_queue(*farm);
  } else {
    runner::Engine engine = connect_engine();
    // Limits the engine's machine cannot honour are bad lines like any other.
    const runner::EngineCapacity cap = require_capacity(engine);
    const auto fits = [&](const runner::Job& j) -> Status {
      if (auto why = runner::limits_beyond(j.limits, cap)) return fail(*why);
      return ok();
    };
    if (!report_bad_jobs(file, fits)) return kExitBadInput;
    require_image(engine, opt.image);
    reap_orphans(engine, session);
  }

  Progress progress(file.jobs.size(), ::isatty(2) && !pool.quiet);
  const OnJobEnd on_end = [&](const BatchEntry& e) {
    progress.job_ended(e.result.verdict);
    spdlog::info("job {}: {} ({})", e.job.id, to_string(e.result.verdict), to_string(e.state));
  };
  const OnTick on_tick = [&] { progress.draw(); };
  auto outcome = farm ? run_farm_batch(std::move(file.jobs), opt, *farm, "batch", on_end, on_tick)
                      : run_batch(std::move(file.jobs), opt, session, on_end, on_tick);
  progress.finish();
  if (!outcome.error.empty())
    std::cerr << "pyjudge: " << outcome.error << "; the jobs without a result can be collected with --resume\n";

  if (auto s = runner::write_file_atomic(
          opt.out / "summary.json",
          summary_json(outcome).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      !s)
    spdlog::error("{}", s.error().message);
  std::cerr << human_summary(outcome) << "\n";
  return batch_exit_code(outcome);
}

}  // namespace pyjudge::cli
