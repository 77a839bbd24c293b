#include "judge/cli/options.h"

#include <algorithm>
#include <iostream>
#include <thread>

#include <spdlog/fmt/fmt.h>

#include "judge/cli/errors.h"
#include "runner/job/job_keys.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

// Every limit of the one table of job keys, with its default and help.
void add_limit_options(po::options_description& d) {
  const runner::Limits def;
  for (const auto& key : runner::job_keys())
    if (key.role == runner::KeyRole::Limit)
      d.add_options()(std::string(key.option).c_str(),
                      po::value<std::string>()->default_value(runner::limit_text(def, key.name)),
                      std::string(key.help).c_str());
}

void add_engine_options(po::options_description& d) {
  // clang-format off
  d.add_options()
    ("image", po::value<std::string>()->default_value("pyjudge-python"), "runner image (built by build-image.sh: scripts/ in the source, share/pyjudge/scripts/ when installed)")
    ("runtime", po::value<std::string>()->default_value("default"), std::string(runner::find_job_key("runtime")->help).c_str())
    ("seccomp", po::value<std::string>()->default_value("pyjudge"),
       "pyjudge: pyjudge's own syscall allowlist (SECURITY.md); default: the engine's default profile. "
       "There is no unconfined")
    ("no-zygote", "warm containers exec python3 for every run instead of forking it from an interpreter that "
       "has already started (README.md, \"The zygote\")");
  // clang-format on
}

void add_log_options(po::options_description& d) {
  // clang-format off
  d.add_options()
    ("log-level", po::value<std::string>()->default_value("warn"), "trace, debug, info, warn, error or off")
    ("log-file", po::value<std::string>(), "also append the log to this file")
    ("help,h", "show this help");
  // clang-format on
}

void add_pool_options(po::options_description& d) {
  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  // clang-format off
  d.add_options()
    ("jobs,j", po::value<int>()->default_value(2 * cores), "at most this many containers at once (default: 2 x cores)")
    ("retries", po::value<int>()->default_value(2), "extra attempts, each in a fresh container, for a job that failed with IE")
    ("quiet,q", "no progress or status line");
  // clang-format on
}

void add_isolation_option(po::options_description& d) {
  // clang-format off
  d.add_options()
    ("isolation", po::value<std::string>()->default_value("submission"),
       "submission: each submission's tests run one after another in one container, reset between tests "
       "(fast); test: a fresh container for every test");
  // clang-format on
}

Isolation isolation_from(const po::variables_map& vm) {
  const auto text = vm["isolation"].as<std::string>();
  const auto mode = isolation_from_string(text);
  if (!mode) throw UsageError("--isolation must be submission or test, not '" + text + "'");
  return *mode;
}

PoolOptions pool_options_from(const po::variables_map& vm) {
  PoolOptions p{vm["jobs"].as<int>(), vm["retries"].as<int>(), vm.count("quiet") > 0};
  if (p.concurrency < 1 || p.concurrency > 256) throw UsageError("--jobs must be in [1, 256]");
  if (p.retries < 0 || p.retries > 10) throw UsageError("--retries must be in [0, 10]");
  return p;
}

bool parse_or_help(const std::string& usage, const po::options_description& d, const std::vector<std::string>& args,
                   po::variables_map& vm, const po::positional_options_description* positional) {
  try {
    po::command_line_parser p(args);
    p.options(d);
    if (positional)
      p.positional(*positional);
    else
      p.positional(po::positional_options_description());
    po::store(p.run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n\n" << d << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return true;
}

bool zygote_from(const po::variables_map& vm) { return vm.count("no-zygote") == 0; }

runner::Seccomp seccomp_from(const po::variables_map& vm) {
  const auto text = vm["seccomp"].as<std::string>();
  if (text == "unconfined")
    throw UsageError("--seccomp unconfined is refused: scripts are untrusted (use pyjudge or default)");
  const auto mode = runner::seccomp_from_string(text);
  if (!mode) throw UsageError("--seccomp must be pyjudge or default, not '" + text + "'");
  return *mode;
}

void add_problem_default_options(po::options_description& d) {
  const runner::Limits def;
  // clang-format off
  d.add_options()
    ("time-limit", po::value<std::string>()->default_value(fmt::format("{:g}", def.wall_limit_s)),
       "seconds per test for a problem package that sets none (neither limits.time_limit nor .timelimit)")
    ("wall-time-limit", po::value<std::string>(),
       "wall-clock seconds per test, instead of the problem's own (problem.json's wall_time_limit, else 3x its "
       "time limit + 2 s). A problem's time limit is CPU time; to judge on the wall clock as before, pass the time "
       "limit itself here");
  // clang-format on
}

judge::Problem load_problem_from(const po::variables_map& vm, const std::string& dir) {
  auto p = judge::load_any_problem(dir, problem_defaults_from(vm));
  if (!p) throw UsageError(p.error().message);
  if (vm.count("wall-time-limit") != 0) {
    auto wall =
        runner::parse_positive(vm["wall-time-limit"].as<std::string>(), "--wall-time-limit", runner::kMaxWallLimitS);
    if (!wall) throw UsageError(wall.error().message);
    if (auto s = judge::set_problem_time_limits(p->limits, p->limits.cpu_time_limit_s, *wall); !s)
      throw UsageError("--wall-time-limit: " + s.error().message);
  }
  return std::move(*p);
}

runner::Limits problem_defaults_from(const po::variables_map& vm) {
  runner::Limits l;
  if (auto s = runner::set_limit(l, "runtime", vm["runtime"].as<std::string>()); !s)
    throw UsageError("--" + s.error().message);
  if (vm.count("time-limit") != 0)
    if (auto s = runner::set_limit(l, "time_limit", vm["time-limit"].as<std::string>()); !s)
      throw UsageError("--time-limit: " + s.error().message);
  return l;
}

runner::Limits limits_from(const po::variables_map& vm) {
  runner::Limits l;
  for (const auto& key : runner::job_keys()) {
    if (key.role == runner::KeyRole::Job) continue;
    const std::string option(key.option);
    if (auto s = runner::set_limit(l, key.name, vm[option].as<std::string>()); !s)
      throw UsageError("--" + option + ": " + s.error().message);
  }
  if (auto s = validate(l); !s) throw UsageError(s.error().message);
  return l;
}

}  // namespace pyjudge::cli
