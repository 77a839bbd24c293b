// pyjudge doctor: is this machine able to judge? Engine, limits, image.
#include <iostream>

#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "endpoint.h"
#include "engine.h"
#include "errors.h"
#include "image.h"
#include "logging.h"
#include "options.h"

namespace pyjudge::cli {

int cmd_doctor(const Args& args) {
  po::options_description d("doctor options");
  d.add_options()("json", "print the report as JSON");
  add_engine_options(d);
  add_log_options(d);
  po::variables_map vm;
  if (!parse_or_help("usage: pyjudge doctor [--image IMG] [--json]", d, args, vm)) return kExitOk;
  setup_logging(vm);

  auto ep = endpoint_from_env();
  if (!ep) throw UsageError(ep.error().message);
  Engine engine(*ep);
  nlohmann::json report = {{"endpoint", ep->shown}, {"engine", nullptr}, {"ok", false}};
  bool healthy = true;
  std::string problem;

  auto version = engine.version();
  auto info = version ? engine.info() : Expected<nlohmann::json>(version.error());
  if (!version || !info) {
    healthy = false;
    problem = engine_unavailable_message(*ep, (!version ? version.error() : info.error()).message);
  } else {
    report["engine"] = {{"version", version->value("Version", "?")},
                        {"api_version", version->value("ApiVersion", "?")}};
    report["cgroup"] = {{"version", info->value("CgroupVersion", "1")}, {"driver", info->value("CgroupDriver", "?")}};
    const nlohmann::json limits = {{"memory", info->value("MemoryLimit", false)},
                                   {"swap", info->value("SwapLimit", false)},
                                   {"pids", info->value("PidsLimit", false)},
                                   {"cpu_quota", info->value("CpuCfsQuota", false)}};
    report["limits_enforced"] = limits;
    report["capacity"] = {{"ncpu", info->value("NCPU", 0)}, {"mem_total", info->value("MemTotal", std::int64_t{0})}};
    for (const auto& [k, v] : limits.items())
      if (!v.get<bool>()) {
        healthy = false;
        problem = "the engine cannot enforce the " + k + " limit";
      }
    const std::string image = vm["image"].as<std::string>();
    auto img = check_image(engine, image);
    report["image"] = {{"name", image}, {"ok", bool(img)}, {"problem", img ? "" : img.error().message}};
    if (!img) {
      healthy = false;
      problem = img.error().message;
    }
  }
  report["ok"] = healthy;
  report["problem"] = problem;

  if (vm.count("json")) {
    std::cout << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    auto yes = [](const nlohmann::json& v) { return v.get<bool>() ? "enforced" : "NOT enforced"; };
    std::cout << "endpoint     " << ep->shown << "\n";
    if (!report["engine"].is_null()) {
      std::cout << "engine       " << report["engine"]["version"].get<std::string>() << " (API "
                << report["engine"]["api_version"].get<std::string>() << ")\n"
                << "cgroup       v" << report["cgroup"]["version"].get<std::string>() << " ("
                << report["cgroup"]["driver"].get<std::string>() << ")\n";
      for (const auto& [k, v] : report["limits_enforced"].items())
        std::cout << k << std::string(13 - k.size(), ' ') << yes(v) << "\n";
      std::cout << "NCPU         " << report["capacity"]["ncpu"].get<int>() << " (the most --cpus can be)\n"
                << "MemTotal     "
                << fmt::format("{:.1f} GiB",
                               static_cast<double>(report["capacity"]["mem_total"].get<std::int64_t>()) / (1 << 30))
                << " (" << report["capacity"]["mem_total"].get<std::int64_t>() << " bytes; the most --memory can be)\n";
      std::cout << "image        " << report["image"]["name"].get<std::string>() << " "
                << (report["image"]["ok"].get<bool>() ? "ok" : "MISSING OR OUTDATED") << "\n";
    }
    std::cout << (healthy ? "ok: ready to judge" : "problem: " + problem) << "\n";
  }
  return healthy ? kExitOk : kExitUnavailable;
}

}  // namespace pyjudge::cli
