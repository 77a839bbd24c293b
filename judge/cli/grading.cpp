#include "judge/cli/grading.h"

#include <unistd.h>

#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/progress.h"
#include "judge/cli/queue_setup.h"
#include "runner/job/job.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;  // NOLINT(google-build-using-namespace): the CLI is a thin layer over the judging
                                 // library

void add_grade_options(po::options_description& d) {
  add_problem_default_options(d);
  add_pool_options(d);
  add_isolation_option(d);
  add_engine_options(d);
  add_log_options(d);
}

GradeOptions grade_options_from(const po::variables_map& vm) {
  GradeOptions opt;
  opt.batch.image = vm["image"].as<std::string>();
  opt.batch.seccomp = seccomp_from(vm);
  const PoolOptions pool = pool_options_from(vm);
  opt.batch.concurrency = pool.concurrency;
  opt.batch.retries = pool.retries;
  opt.isolation = isolation_from(vm);
  return opt;
}

void require_valid(const std::vector<Submission>& subs, const Problem& problem) {
  for (const auto& s : subs) {
    runner::Job j;
    j.id = s.name;
    j.script = s.path;
    j.limits = problem.limits;
    if (auto ok = validate(j); !ok) throw UsageError(ok.error().message);
  }
}

void prepare_engine(const Problem& problem, const GradeOptions& opt, const runner::Session& session) {
  runner::Engine engine = connect_engine();
  require_fit(problem.limits, require_capacity(engine), problem.spec_file.string());
  require_image(engine, opt.batch.image);
  reap_orphans(engine, session);
}

void prepare_farm(const Problem& problem, const FarmTarget& farm) {
  for (const auto& t : problem.tests) {
    runner::Job j;
    j.limits = problem.limits;
    j.stdin_file = t.input;
    if (auto s = farm_accepts(j); !s) throw UsageError(problem.spec_file.string() + ": " + s.error().message);
  }
  require_queue(farm);
}

GradeReport grade_on_pool(const Problem& problem, const std::vector<Submission>& subs, const GradeOptions& opt,
                          const runner::Session& session, bool quiet, const std::optional<FarmTarget>& farm) {
  Progress progress(subs.size() * problem.tests.size(), ::isatty(2) && !quiet);
  const OnJobEnd on_end = [&](const BatchEntry& e) { progress.job_ended(e.result.verdict); };
  const OnTick on_tick = [&] { progress.draw(); };
  int phase = 0;  // the runs, then the checks
  GradeReport report = grade(problem, subs, opt, [&](std::vector<runner::Job> jobs) {
    if (farm)
      return run_farm_batch(std::move(jobs), opt.batch, *farm, phase++ == 0 ? "runs" : "checks", on_end, on_tick);
    return run_batch(std::move(jobs), opt.batch, session, on_end, on_tick);
  });
  progress.finish();
  return report;
}

}  // namespace pyjudge::cli
