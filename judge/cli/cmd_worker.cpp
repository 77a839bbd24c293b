// pyjudge worker: one machine's share of a judge farm. Pulls jobs from the
// Redis queue while it has a free slot and runs them on this machine's
// engine; the first SIGINT/SIGTERM drains, the second kills.
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "judge/cli/commands.h"
#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/farm_setup.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "judge/farm/farm_worker.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

void worker_options(po::options_description& d, po::positional_options_description& /*pos*/) {
  // clang-format off
  d.add_options()
    ("lease", po::value<double>()->default_value(30),
       "seconds (3-3600) after which a unit whose worker stopped renewing its lease (killed, cut off) goes to another "
       "worker; a job may then run twice, and is recorded once");
  // clang-format on
  add_queue_options(d, QueueRole::Worker);
  add_pool_options(d);
  add_engine_options(d);
  add_log_options(d);
}

int cmd_worker(const po::variables_map& vm) {
  WorkerOptions opt;
  opt.farm = *farm_target_from(vm);
  const PoolOptions pool = pool_options_from(vm);
  opt.slots = pool.concurrency;
  opt.retries = pool.retries;
  opt.image = vm["image"].as<std::string>();
  opt.seccomp = seccomp_from(vm);
  opt.zygote = zygote_from(vm);
  runner::Limits runtime;
  if (auto s = runner::set_limit(runtime, "runtime", vm["runtime"].as<std::string>()); !s)
    throw UsageError("--" + s.error().message);
  opt.runtime = runtime.runtime;
  const double lease = vm["lease"].as<double>();
  if (!(lease >= 3 && lease <= 3600)) throw UsageError("--lease must be in [3, 3600] seconds");
  opt.lease = std::chrono::seconds(static_cast<long>(std::lround(lease)));

  install_interrupt_handlers();
  const runner::Session session = runner::Session::current();
  opt.name = session.host + ":" + std::to_string(session.pid);
  opt.scratch = std::filesystem::temp_directory_path() / ("pyjudge-worker-" + session.id);
  {
    runner::Engine engine = connect_engine();
    opt.capacity = require_capacity(engine);
    require_image(engine, opt.image);
    reap_orphans(engine, session);
  }
  require_farm(opt.farm);
  if (auto s = prepare_farm_queue(opt.farm, opt.name); !s) throw UnavailableError(s.error().message);

  const WorkerOutcome out = run_worker(opt, session, engine_endpoint());
  spdlog::warn("worker {}: stopped by signal {} after {} unit(s){}", opt.name, out.signal, out.units,
               out.killed ? "; running jobs were killed and go to other workers" : "");
  return out.killed ? exit_for_signal(out.signal) : kExitOk;
}

}  // namespace pyjudge::cli
