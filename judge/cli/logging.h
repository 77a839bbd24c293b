// Logging set-up: spdlog to stderr at the chosen level, and optionally to a file.
#pragma once

#include <string>

#include <boost/program_options.hpp>

namespace pyjudge::cli {

// From --log-level / --log-file; throws UsageError on a bad level or file.
// `level_if_unset` replaces the option's default when the user gave none.
void setup_logging(const boost::program_options::variables_map& vm, const std::string& level_if_unset = "");
// Reopens the --log-file (after log rotation) in place: safe while other
// threads log. A failure is logged, not thrown.
void reopen_log_file();

}  // namespace pyjudge::cli
