// pyjudge batch: a jobs file through the TBB pool, summary.json at the end.
#include <unistd.h>

#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "batch.h"
#include "commands.h"
#include "engine_setup.h"
#include "exit_codes.h"
#include "files.h"
#include "interrupt.h"
#include "jobs_file.h"
#include "logging.h"
#include "options.h"
#include "output_dir.h"
#include "progress.h"
#include "summary.h"

namespace pyjudge::cli {

int default_concurrency() { return 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

int cmd_batch(const Args& args) {
  po::options_description d("batch options");
  // clang-format off
  d.add_options()
    ("jobs-file", po::value<std::string>()->required(), "JSON Lines or CSV jobs file, or - for stdin (positional)")
    ("jobs,j", po::value<int>()->default_value(default_concurrency()), "at most this many jobs at once (default: 2 x cores)")
    ("out", po::value<std::string>()->default_value("results"), "folder for ID/{stdout,stderr,result.json} and summary.json")
    ("retries", po::value<int>()->default_value(2), "extra attempts, each in a fresh container, for a job that failed with IE")
    ("fail-fast", "stop starting jobs after the first job with a non-zero status")
    ("resume", "skip jobs whose OUT/ID/result.json is already complete (IE results are re-run)")
    ("quiet,q", "no progress line");
  // clang-format on
  add_limit_options(d);
  add_engine_options(d);
  add_log_options(d);
  po::positional_options_description pos;
  pos.add("jobs-file", 1);
  po::variables_map vm;
  if (!parse_or_help("usage: pyjudge batch JOBS [--jobs N] [--out DIR] [--fail-fast] [--retries K] [--resume] [limits]",
                     d, args, vm, &pos))
    return kExitOk;
  setup_logging(vm);

  BatchOptions opt;
  opt.concurrency = vm["jobs"].as<int>();
  opt.retries = vm["retries"].as<int>();
  opt.fail_fast = vm.count("fail-fast") > 0;
  opt.resume = vm.count("resume") > 0;
  opt.image = vm["image"].as<std::string>();
  if (opt.concurrency < 1 || opt.concurrency > 256) throw UsageError("--jobs must be in [1, 256]");
  if (opt.retries < 0 || opt.retries > 10) throw UsageError("--retries must be in [0, 10]");
  const Limits defaults = limits_from(vm);

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
  const Session session = Session::current();
  {
    Engine engine = connect_engine();
    require_image(engine, opt.image);
    reap_orphans(engine, session);
  }

  Progress progress(file.jobs.size(), ::isatty(2) && !vm.count("quiet"));
  auto outcome = run_batch(
      std::move(file.jobs), opt, session,
      [&](const BatchEntry& e) {
        progress.job_ended(e.result.verdict);
        spdlog::info("job {}: {} ({})", e.job.id, to_string(e.result.verdict), to_string(e.state));
      },
      [&] { progress.draw(); });
  progress.finish();

  if (auto s = write_file_atomic(opt.out / "summary.json", summary_json(outcome).dump(2) + "\n"); !s)
    spdlog::error("{}", s.error().message);
  std::cerr << human_summary(outcome) << "\n";
  return batch_exit_code(outcome);
}

}  // namespace pyjudge::cli
