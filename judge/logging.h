// Logging set-up: spdlog to stderr at the chosen level, and optionally to a file.
#pragma once

#include <string>

#include <boost/program_options.hpp>

namespace pyjudge::cli {

// From --log-level / --log-file; throws UsageError on a bad level or file.
void setup_logging(const boost::program_options::variables_map& vm);

}  // namespace pyjudge::cli
