// pyjudge batch: a jobs file through the TBB pool, summary.json at the end.
#include <unistd.h>

#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/cli/commands.h"
#include "judge/cli/errors.h"
#include "judge/cli/executor_setup.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "judge/cli/output_dir.h"
#include "judge/cli/progress.h"
#include "judge/jobs_file.h"
#include "judge/summary.h"
#include "runner/job/files.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

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

void batch_options(po::options_description& d, po::positional_options_description& pos) {
  // clang-format off
  d.add_options()
    ("jobs-file", po::value<std::string>()->required(), "JSON Lines or CSV jobs file, or - for stdin (positional)")
    ("out", po::value<std::string>()->default_value("results"), "folder for ID/{stdout,stderr,result.json} and summary.json")
    ("fail-fast", "stop starting jobs after the first job with a non-zero status")
    ("resume", "skip jobs whose OUT/ID/result.json is already complete (IE results are re-run)");
  // clang-format on
  add_limit_options(d);
  add_executor_options(d);
  add_log_options(d);
  pos.add("jobs-file", 1);
}

int cmd_batch(const po::variables_map& vm) {
  auto file = load_jobs(vm["jobs-file"].as<std::string>(), limits_from(vm));
  if (!file.errors.empty()) {
    for (const auto& e : file.errors) std::cerr << "pyjudge: " << e << "\n";
    std::cerr << "pyjudge: " << file.errors.size() << " problem(s) in the jobs file; nothing was run\n";
    return kExitBadInput;
  }
  RunRequest request;
  request.fail_fast = vm.count("fail-fast") > 0;
  request.resume = vm.count("resume") > 0;
  request.out = prepare_output_dir(vm["out"].as<std::string>());

  install_interrupt_handlers();
  const auto executor = open_executor(vm, runner::Session::current());
  // Limits the engine's machine cannot honour (or the farm cannot carry) are
  // bad lines like any other.
  if (!report_bad_jobs(file, [&](const runner::Job& j) { return executor->accepts(j); })) return kExitBadInput;
  spdlog::debug("batch: {} jobs, concurrency {}, retries {}, out {}", file.jobs.size(), executor->options().concurrency,
                executor->options().retries, request.out.string());

  ProgressLine progress(::isatty(2) && !pool_options_from(vm).quiet);
  executor->report_to(&progress);
  const auto outcome = executor->run(std::move(file.jobs), request);
  executor->report_to(nullptr);
  if (!outcome.error.empty())
    std::cerr << "pyjudge: " << outcome.error << "; the jobs without a result can be collected with --resume\n";

  if (auto s = runner::write_file_atomic(
          request.out / "summary.json",
          summary_json(outcome).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      !s)
    spdlog::error("{}", s.error().message);
  std::cerr << human_summary(outcome) << "\n";
  return batch_exit_code(outcome);
}

}  // namespace pyjudge::cli
