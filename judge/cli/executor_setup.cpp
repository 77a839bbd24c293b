#include "judge/cli/executor_setup.h"

#include <algorithm>
#include <set>

#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/farm_setup.h"
#include "runner/engine/image.h"
#include "runner/engine/install_paths.h"
#include "runner/job/job.h"
#include "runner/sandbox/seccomp.h"

namespace pyjudge::cli {

void add_executor_options(po::options_description& d) {
  add_pool_options(d);
  add_engine_options(d);
  add_queue_options(d);
}

std::unique_ptr<judge::Executor> open_executor(const po::variables_map& vm, const runner::Session& session) {
  judge::ExecutorOptions opt;
  opt.image = vm["image"].as<std::string>();
  opt.seccomp = seccomp_from(vm);
  opt.zygote = zygote_from(vm);
  const PoolOptions pool = pool_options_from(vm);
  opt.concurrency = pool.concurrency;
  opt.retries = pool.retries;
  opt.farm = farm_target_from(vm);
  if (opt.farm) {
    refuse_worker_choices(vm);
    require_farm(*opt.farm);
    return std::make_unique<judge::Executor>(std::move(opt));
  }
  runner::Engine engine = connect_engine();
  const runner::EngineCapacity capacity = require_capacity(engine);
  require_image(engine, opt.image);
  reap_orphans(engine, session);
  return std::make_unique<judge::Executor>(std::move(opt), engine_endpoint(), session, capacity);
}

void require_accepted(const judge::Executor& executor, const judge::Problem& problem) {
  if (problem.functions) {
    // The supervisor times each test from the cgroup's counters, which
    // gVisor does not show (docs/functions.md).
    if (runner::is_gvisor(problem.limits.runtime))
      throw UsageError(problem.spec_file.string() + ": function problems do not run under gVisor (--runtime runsc)");
    runner::Job j;
    j.limits = problem.limits;
    j.module = problem.functions->module;
    if (auto s = executor.accepts(j); !s) throw UsageError(problem.spec_file.string() + ": " + s.error().message);
  }
  if (problem.checker.validator.compiled) {
    runner::Job j;
    j.image = "compiler";  // the compiler image's, wherever it is
    if (auto s = executor.accepts(j); !s) throw UsageError(problem.spec_file.string() + ": " + s.error().message);
  }
  for (const auto& t : problem.tests) {
    runner::Job j;
    j.limits = problem.limits;
    j.stdin_file = t.input;
    if (problem.interactive) j.interactor = std::make_shared<const runner::Job>();
    if (auto s = executor.accepts(j); !s) throw UsageError(problem.spec_file.string() + ": " + s.error().message);
  }
}

void require_valid(const std::vector<judge::Submission>& subs, const judge::Problem& problem) {
  for (const auto& s : subs) {
    runner::Job j;
    j.id = s.name;
    j.script = s.path;
    j.limits = problem.limits;
    if (auto ok = validate(j); !ok) throw UsageError(ok.error().message);
    if (problem.functions) {
      // The module, its helpers and the problem's files/ share work/.
      std::set<std::string> names{"work/" + problem.functions->module + ".py"};
      for (const auto& f : problem.functions->data_files) names.insert(f.first);
      for (const auto& [name, path] : s.files)
        if (!names.insert(name).second)
          throw UsageError(path.string() +
                           ": has the name of the student's module or of a file in the problem's files/");
    }
  }
}

judge::CompilerOptions compiler_for(const po::variables_map& vm, const judge::Problem& problem) {
  judge::CompilerOptions c;
  c.image = vm["compiler-image"].as<std::string>();
  c.cache_dir = judge::default_cache_dir();
  if (!problem.checker.validator.compiled || vm.count("queue") != 0) return c;
  runner::Engine engine = connect_engine();
  const std::string how = runner::helper_script("build-image.sh") + " --with g++ --tag " + c.image;
  auto info = runner::check_image(engine, c.image);
  if (!info && info.error().http_status == 404)
    throw UnavailableError(problem.checker.validator.root.string() +
                           ": a C or C++ validator is built and run in the image '" + c.image +
                           "', which is not there; build it with '" + how + "'");
  if (!info) throw UnavailableError(info.error().message);
  if (std::find(info->packages.begin(), info->packages.end(), "g++") == info->packages.end())
    throw UsageError("--compiler-image " + c.image + ": the image has no g++; build one with '" + how + "'");
  c.image_id = info->id;
  return c;
}

void add_compiler_option(po::options_description& d) {
  // clang-format off
  d.add_options()
    ("compiler-image", po::value<std::string>()->default_value("pyjudge-gcc"),
       "image a package's C or C++ validator is built and run in (scripts/build-image.sh --with g++ --tag NAME); "
       "builds are cached by content in $PYJUDGE_CACHE_DIR, else ~/.cache/pyjudge");
  // clang-format on
}

void add_grade_options(po::options_description& d) {
  add_compiler_option(d);
  add_problem_default_options(d);
  add_isolation_option(d);
  add_executor_options(d);
  add_log_options(d);
}

}  // namespace pyjudge::cli
