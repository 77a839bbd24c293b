#include "logging.h"

#include <mutex>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "errors.h"

namespace pyjudge::cli {

namespace {
// The file part of the logger, swappable under its own lock.
std::shared_ptr<spdlog::sinks::dist_sink_mt> g_file_sink;
std::string g_file_name;
constexpr const char* kPattern = "pyjudge %^%l%$: %v";
}  // namespace

void setup_logging(const boost::program_options::variables_map& vm, const std::string& level_if_unset) {
  const bool unset = vm["log-level"].defaulted() && !level_if_unset.empty();
  const std::string name = unset ? level_if_unset : vm["log-level"].as<std::string>();
  const auto level = spdlog::level::from_str(name);
  if (level == spdlog::level::off && name != "off")
    throw UsageError("--log-level must be trace, debug, info, warn, error or off, not '" + name + "'");
  std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  g_file_sink = std::make_shared<spdlog::sinks::dist_sink_mt>();
  sinks.push_back(g_file_sink);
  if (vm.count("log-file")) {
    g_file_name = vm["log-file"].as<std::string>();
    try {
      g_file_sink->add_sink(std::make_shared<spdlog::sinks::basic_file_sink_mt>(g_file_name));
    } catch (const spdlog::spdlog_ex& e) {
      throw UsageError(std::string("--log-file: ") + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("pyjudge", sinks.begin(), sinks.end());
  logger->set_level(level);
  logger->set_pattern(kPattern);
  spdlog::set_default_logger(logger);
}

void reopen_log_file() {
  if (!g_file_sink || g_file_name.empty()) return;
  try {
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(g_file_name);
    sink->set_pattern(kPattern);  // dist_sink does not pass its format on to new sinks
    g_file_sink->set_sinks({sink});
    spdlog::info("log file {} reopened", g_file_name);
  } catch (const spdlog::spdlog_ex& e) {
    spdlog::error("cannot reopen the log file {}: {}", g_file_name, e.what());
  }
}

}  // namespace pyjudge::cli
