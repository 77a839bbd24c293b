#include "options.h"

#include <iostream>

#include <spdlog/fmt/fmt.h>

#include "exit_codes.h"

namespace pyjudge::cli {

void add_limit_options(po::options_description& d) {
  const Limits def;
  // clang-format off
  d.add_options()
    ("time-limit", po::value<std::string>()->default_value(fmt::format("{:g}", def.wall_limit_s)),
       "wall-clock limit in seconds (decimals allowed); the script gets SIGTERM, then SIGKILL after the grace")
    ("kill-grace", po::value<std::string>()->default_value(fmt::format("{:g}", def.kill_grace_s)), "seconds between SIGTERM and SIGKILL at the time limit")
    ("memory", po::value<std::string>()->default_value(format_size(def.memory_bytes)),
       "memory cap, swap included, with b/k/m/g suffix (minimum 16m)")
    ("cpus", po::value<std::string>()->default_value(fmt::format("{:g}", def.cpus)), "CPU quota in cores (e.g. 0.5)")
    ("pids", po::value<std::string>()->default_value(std::to_string(def.pids)), "maximum number of processes and threads")
    ("output-limit", po::value<std::string>()->default_value(format_size(def.stdout_limit_bytes)),
       "stdout cap; past it the job is killed with OLE")
    ("stderr-limit", po::value<std::string>()->default_value(format_size(def.stderr_limit_bytes)),
       "stderr cap; past it the job is killed with OLE")
    ("tmp-size", po::value<std::string>()->default_value(format_size(def.tmp_bytes)),
       "size of the writable /tmp (and of /dev/shm)");
  // clang-format on
}

void add_engine_options(po::options_description& d) {
  // clang-format off
  d.add_options()
    ("image", po::value<std::string>()->default_value("pyjudge-python"), "runner image (built by scripts/build-image.sh)");
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

bool parse_or_help(const std::string& usage, const po::options_description& d, const std::vector<std::string>& args,
                   po::variables_map& vm, const po::positional_options_description* positional) {
  try {
    po::command_line_parser p(args);
    p.options(d);
    if (positional) p.positional(*positional);
    else p.positional(po::positional_options_description());
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

namespace {

double seconds(const po::variables_map& vm, const char* key, double max) {
  auto v = parse_positive(vm[key].as<std::string>(), std::string("--") + key, max);
  if (!v) throw UsageError(v.error().message);
  return *v;
}

std::int64_t size(const po::variables_map& vm, const char* key) {
  auto v = parse_size(vm[key].as<std::string>());
  if (!v) throw UsageError(std::string("--") + key + ": " + v.error().message);
  return *v;
}

std::int64_t count(const po::variables_map& vm, const char* key) {
  const std::string s = vm[key].as<std::string>();
  auto v = parse_positive(s, std::string("--") + key, 1e9);
  if (!v || *v != static_cast<double>(static_cast<std::int64_t>(*v)))
    throw UsageError(std::string("--") + key + " must be a positive whole number, not '" + s + "'");
  return static_cast<std::int64_t>(*v);
}

}  // namespace

Limits limits_from(const po::variables_map& vm) {
  Limits l;
  l.wall_limit_s = seconds(vm, "time-limit", kMaxWallLimitS);
  const std::string grace = vm["kill-grace"].as<std::string>();
  l.kill_grace_s = grace == "0" ? 0.0 : seconds(vm, "kill-grace", 60);
  l.memory_bytes = size(vm, "memory");
  l.cpus = seconds(vm, "cpus", 1024);
  l.pids = count(vm, "pids");
  l.stdout_limit_bytes = size(vm, "output-limit");
  l.stderr_limit_bytes = size(vm, "stderr-limit");
  l.tmp_bytes = size(vm, "tmp-size");
  if (auto s = validate(l); !s) throw UsageError(s.error().message);
  return l;
}

}  // namespace pyjudge::cli
