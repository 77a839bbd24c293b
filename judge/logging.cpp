#include "logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "exit_codes.h"

namespace pyjudge::cli {

void setup_logging(const boost::program_options::variables_map& vm) {
  const std::string name = vm["log-level"].as<std::string>();
  const auto level = spdlog::level::from_str(name);
  if (level == spdlog::level::off && name != "off")
    throw UsageError("--log-level must be trace, debug, info, warn, error or off, not '" + name + "'");
  std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  if (vm.count("log-file")) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(vm["log-file"].as<std::string>()));
    } catch (const spdlog::spdlog_ex& e) {
      throw UsageError(std::string("--log-file: ") + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("pyjudge", sinks.begin(), sinks.end());
  logger->set_level(level);
  logger->set_pattern("pyjudge %^%l%$: %v");
  spdlog::set_default_logger(logger);
}

}  // namespace pyjudge::cli
