#include "judge/cli/farm_setup.h"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "judge/cli/errors.h"
#include "judge/farm/redis_link.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

void add_queue_options(po::options_description& d, QueueRole role) {
  const bool worker = role == QueueRole::Worker;
  auto* url = po::value<std::string>();
  if (worker) url->required();
  const std::string what = worker ? "; this worker runs the jobs queued there"
                                  : "; the jobs run on its workers (pyjudge worker) instead of here";
  // clang-format off
  d.add_options()
    ("queue", url,
       ("the judge farm's Redis: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] (the password may instead be in "
        "PYJUDGE_QUEUE_PASSWORD)" + what).c_str())
    ("queue-name", po::value<std::string>()->default_value("pyjudge"), "the queue on that Redis (its keys start NAME:)");
  // clang-format on
}

std::optional<FarmTarget> farm_target_from(const po::variables_map& vm) {
  if (vm.count("queue") == 0) return std::nullopt;
  const char* env = std::getenv("PYJUDGE_QUEUE_PASSWORD");  // NOLINT(concurrency-mt-unsafe): read at start-up
  auto url = parse_redis_url(vm["queue"].as<std::string>(), env ? env : "");
  if (!url) throw UsageError("--queue: " + url.error().message);
  const std::string name = vm["queue-name"].as<std::string>();
  if (auto s = validate_queue_name(name); !s) throw UsageError("--queue-name: " + s.error().message);
  return FarmTarget{*url, name};
}

void refuse_worker_choices(const po::variables_map& vm) {
  for (const char* option : {"image", "runtime", "seccomp", "no-zygote"})
    if (vm.count(option) != 0 && !vm[option].defaulted())
      throw UsageError(std::string("--") + option + " is the workers' choice with --queue (pyjudge worker --" + option +
                       ")");
}

void require_farm(const FarmTarget& farm) {
  RedisLink link(farm.url, std::chrono::seconds(0));
  if (auto s = link.connect(); !s) throw UnavailableError(s.error().message);
  spdlog::debug("queue {} at {} answers", farm.queue, farm.url.shown());
}

}  // namespace pyjudge::cli
