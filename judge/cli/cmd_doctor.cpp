// pyjudge doctor: is this machine able to judge? Engine, limits, image.
#include <algorithm>
#include <iostream>

#include <spdlog/fmt/fmt.h>

#include <nlohmann/json.hpp>

#include "judge/cli/commands.h"
#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/executor_setup.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "runner/engine/endpoint.h"
#include "runner/engine/engine.h"
#include "runner/engine/engine_capacity.h"
#include "runner/engine/image.h"
#include "runner/engine/install_paths.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

namespace {

struct Health {
  nlohmann::json report;
  std::string problem;  // the last thing found wrong; empty when healthy
  void flag(std::string what) { problem = std::move(what); }
};

// The runtimes the engine offers, and the seccomp profile jobs will run under.
void examine_isolation(const nlohmann::json& info, Health& h) {
  auto& r = h.report;
  const auto cap = runner::capacity_from_info(info);
  r["runtimes"] = cap ? cap->runtimes : std::vector<std::string>{};
  r["default_runtime"] = info.value("DefaultRuntime", "runc");
  // The runtime check every command makes (limits_beyond), with no cap to exceed.
  runner::Limits runtime_only;
  runtime_only.cpus = 0;
  runtime_only.memory_bytes = 0;
  runtime_only.runtime = r["runtime"].get<std::string>();
  if (cap)
    if (auto why = runner::limits_beyond(runtime_only, *cap)) h.flag("--runtime: " + *why);
  bool engine_seccomp = false;
  for (const auto& o : info.value("SecurityOptions", nlohmann::json::array()))
    if (o.is_string() && o.get<std::string>().find("name=seccomp") != std::string::npos) engine_seccomp = true;
  r["seccomp"]["engine_supports"] = engine_seccomp;
  if (!engine_seccomp) h.flag("the engine has no seccomp support: scripts would reach every system call");
}

// What the engine says of itself, its limits, its capacity and the image.
void examine_engine(runner::Engine& engine, const std::string& image, const std::string& compiler,
                    const runner::Endpoint& ep, Health& h) {
  auto version = engine.version();
  auto info = version ? engine.info() : Expected<nlohmann::json>(version.error());
  if (!version || !info)
    return h.flag(runner::engine_unavailable_message(ep, (!version ? version.error() : info.error()).message));
  auto& r = h.report;
  r["engine"] = {{"version", version->value("Version", "?")}, {"api_version", version->value("ApiVersion", "?")}};
  r["cgroup"] = {{"version", info->value("CgroupVersion", "1")}, {"driver", info->value("CgroupDriver", "?")}};
  r["limits_enforced"] = {{"memory", info->value("MemoryLimit", false)},
                          {"swap", info->value("SwapLimit", false)},
                          {"pids", info->value("PidsLimit", false)},
                          {"cpu_quota", info->value("CpuCfsQuota", false)}};
  r["capacity"] = {{"ncpu", info->value("NCPU", 0)}, {"mem_total", info->value("MemTotal", std::int64_t{0})}};
  for (const auto& [k, v] : r["limits_enforced"].items())
    if (!v.get<bool>()) h.flag("the engine cannot enforce the " + k + " limit");
  examine_isolation(*info, h);
  auto img = runner::check_image(engine, image);
  r["image"] = {{"name", image},
                {"ok", static_cast<bool>(img)},
                {"problem", img ? "" : img.error().message},
                {"packages", img ? img->packages : std::vector<std::string>{}}};
  if (!img) h.flag(img.error().message);
  // The compiler image is needed only by packages with C or C++ validators:
  // reported, never a reason to be unhealthy.
  auto gcc = runner::check_image(engine, compiler);
  const bool has_gcc = gcc && std::find(gcc->packages.begin(), gcc->packages.end(), "g++") != gcc->packages.end();
  r["compiler_image"] = {{"name", compiler},
                         {"ok", has_gcc},
                         {"problem", has_gcc                          ? ""
                                     : gcc                            ? "it has no g++"
                                     : gcc.error().http_status == 404 ? "not built"
                                                                      : gcc.error().message}};
}

// "compiler     pyjudge-gcc ok (builds C and C++ validators)"
std::string compiler_line(const nlohmann::json& c) {
  const std::string name = c["name"].get<std::string>();
  return "compiler     " + name +
         (c["ok"].get<bool>() ? " ok (builds C and C++ validators)"
                              : " not usable (" + c["problem"].get<std::string>() +
                                    "); only packages with C or C++ validators need it: " +
                                    runner::helper_script("build-image.sh") + " --with g++ --tag " + name);
}

// "image        pyjudge-python ok (with python3-numpy)"
std::string image_line(const nlohmann::json& image) {
  std::string packages;
  for (const auto& p : image["packages"]) packages += (packages.empty() ? "" : ", ") + p.get<std::string>();
  return "image        " + image["name"].get<std::string>() + " " +
         (image["ok"].get<bool>() ? "ok" : "MISSING OR OUTDATED") +
         (packages.empty() ? "" : " (with " + packages + ")");
}

void print_text(const nlohmann::json& r, bool healthy, const std::string& problem) {
  std::cout << "endpoint     " << r["endpoint"].get<std::string>() << "\n";
  if (!r["engine"].is_null()) {
    std::cout << "engine       " << r["engine"]["version"].get<std::string>() << " (API "
              << r["engine"]["api_version"].get<std::string>() << ")\n"
              << "cgroup       v" << r["cgroup"]["version"].get<std::string>() << " ("
              << r["cgroup"]["driver"].get<std::string>() << ")\n";
    for (const auto& [k, v] : r["limits_enforced"].items())
      std::cout << k << std::string(13 - k.size(), ' ') << (v.get<bool>() ? "enforced" : "NOT enforced") << "\n";
    const auto mem_total = r["capacity"]["mem_total"].get<std::int64_t>();
    std::cout << "NCPU         " << r["capacity"]["ncpu"].get<int>() << " (the most --cpus can be)\n"
              << "MemTotal     " << fmt::format("{:.1f} GiB", static_cast<double>(mem_total) / (1 << 30)) << " ("
              << mem_total << " bytes; the most --memory can be)\n";
    std::string runtimes;
    for (const auto& name : r["runtimes"]) runtimes += (runtimes.empty() ? "" : ", ") + name.get<std::string>();
    std::cout << "runtimes     " << runtimes << " (default " << r["default_runtime"].get<std::string>() << "; jobs use "
              << (r["runtime"].get<std::string>().empty() ? "the default" : r["runtime"].get<std::string>()) << ")\n"
              << "seccomp      " << r["seccomp"]["profile"].get<std::string>()
              << (r["seccomp"]["profile"] == "pyjudge" ? " (pyjudge's allowlist, SECURITY.md)"
                                                       : " (the engine's default profile)")
              << (r["seccomp"]["engine_supports"].get<bool>() ? "" : "; the engine has NO seccomp support") << "\n";
    std::cout << image_line(r["image"]) << "\n" << compiler_line(r["compiler_image"]) << "\n";
  }
  std::cout << (healthy ? "ok: ready to judge" : "problem: " + problem) << "\n";
}

}  // namespace

void doctor_options(po::options_description& d, po::positional_options_description& /*pos*/) {
  d.add_options()("json", "print the report as JSON");
  add_engine_options(d);
  add_compiler_option(d);
  add_log_options(d);
}

int cmd_doctor(const po::variables_map& vm) {
  const auto ep = engine_endpoint();
  runner::Engine engine(ep);
  Health h{{{"endpoint", ep.shown},
            {"tls", ep.tls.has_value()},
            {"engine", nullptr},
            {"ok", false},
            {"runtime", problem_defaults_from(vm).runtime},
            {"seccomp", {{"profile", std::string(to_string(seccomp_from(vm)))}}}},
           {}};
  examine_engine(engine, vm["image"].as<std::string>(), vm["compiler-image"].as<std::string>(), ep, h);
  const bool healthy = h.problem.empty();
  h.report["ok"] = healthy;
  h.report["problem"] = h.problem;
  if (vm.count("json") != 0)
    std::cout << h.report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else
    print_text(h.report, healthy, h.problem);
  return healthy ? kExitOk : kExitUnavailable;
}

}  // namespace pyjudge::cli
