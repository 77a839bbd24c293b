// Option tables shared by the commands: limits, output and logging options,
// each next to its help text, and their conversion into runner values.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "judge/grade.h"
#include "runner/job/job_limits.h"
#include "runner/sandbox/seccomp.h"

namespace pyjudge::cli {

namespace po = boost::program_options;

void add_limit_options(po::options_description& d);
void add_engine_options(po::options_description& d);
void add_log_options(po::options_description& d);
// --jobs, --retries and --quiet, for the commands that run on the pool.
void add_pool_options(po::options_description& d);

struct PoolOptions {
  int concurrency = 4;
  int retries = 2;
  bool quiet = false;
};
// From add_pool_options; throws UsageError for values out of range.
PoolOptions pool_options_from(const po::variables_map& vm);

// Parses `args` (after the command name); unknown options and bad values
// become UsageError. Returns false when --help was asked for (and printed).
bool parse_or_help(const std::string& usage, const po::options_description& d, const std::vector<std::string>& args,
                   po::variables_map& vm, const po::positional_options_description* positional = nullptr);

// --isolation, for the commands that grade (grade, watch --problem).
void add_isolation_option(po::options_description& d);
// From add_isolation_option; throws UsageError for an unknown mode.
judge::Isolation isolation_from(const po::variables_map& vm);

// --seccomp from add_engine_options; "unconfined" and unknown modes throw
// UsageError.
runner::Seccomp seccomp_from(const po::variables_map& vm);
// Whether warm containers fork their runs from a zygote (not --no-zygote).
bool zygote_from(const po::variables_map& vm);

// --time-limit for the commands that load problems without their own run
// limits (grade, verify): what a package without a time limit gets; and
// --wall-time-limit, the wall-clock backstop instead of the problem's own.
void add_problem_default_options(po::options_description& d);

// Default limits with --runtime (and --time-limit): what a problem does not
// set itself.
runner::Limits problem_defaults_from(const po::variables_map& vm);

// The problem in `dir`, in either format, with problem_defaults_from and
// --wall-time-limit where the command has it; throws UsageError.
judge::Problem load_problem_from(const po::variables_map& vm, const std::string& dir);

// Limits from the options of add_limit_options and --runtime; throws UsageError.
runner::Limits limits_from(const po::variables_map& vm);

}  // namespace pyjudge::cli
