#include "judge/cli/logging.h"

#include <mutex>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "judge/cli/errors.h"

namespace pyjudge::cli {

namespace {
// The file part of the logger, swappable under its own lock; one per process
// like spdlog's default logger itself.
struct FileLog {
  std::shared_ptr<spdlog::sinks::dist_sink_mt> sink;
  std::string name;
};
FileLog& file_log() {
  static FileLog log;
  return log;
}
constexpr const char* kPattern = "pyjudge %^%l%$: %v";
}  // namespace

void setup_logging(const boost::program_options::variables_map& vm, const std::string& level_if_unset) {
  const bool unset = vm["log-level"].defaulted() && !level_if_unset.empty();
  const std::string name = unset ? level_if_unset : vm["log-level"].as<std::string>();
  const auto level = spdlog::level::from_str(name);
  if (level == spdlog::level::off && name != "off")
    throw UsageError("--log-level must be trace, debug, info, warn, error or off, not '" + name + "'");
  std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  file_log().sink = std::make_shared<spdlog::sinks::dist_sink_mt>();
  sinks.push_back(file_log().sink);
  if (vm.count("log-file") != 0) {
    file_log().name = vm["log-file"].as<std::string>();
    try {
      file_log().sink->add_sink(std::make_shared<spdlog::sinks::basic_file_sink_mt>(file_log().name));
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
  if (!file_log().sink || file_log().name.empty()) return;
  try {
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file_log().name);
    sink->set_pattern(kPattern);  // dist_sink does not pass its format on to new sinks
    file_log().sink->set_sinks({sink});
    spdlog::info("log file {} reopened", file_log().name);
  } catch (const spdlog::spdlog_ex& e) {
    spdlog::error("cannot reopen the log file {}: {}", file_log().name, e.what());
  }
}

}  // namespace pyjudge::cli
