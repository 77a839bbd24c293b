// The pyjudge commands. Each has its options (added to the command's
// option table, with its positional arguments) and its run over the parsed
// options, returning the process exit code. cli.cpp's command table ties
// them to their names, usage lines and log levels.
#pragma once

#include <string>
#include <vector>

#include "judge/cli/options.h"

namespace pyjudge::cli {

using Args = std::vector<std::string>;

void run_options(po::options_description& d, po::positional_options_description& pos);
int cmd_run(const po::variables_map& vm);
void batch_options(po::options_description& d, po::positional_options_description& pos);
int cmd_batch(const po::variables_map& vm);
void grade_options(po::options_description& d, po::positional_options_description& pos);
int cmd_grade(const po::variables_map& vm);
void verify_options(po::options_description& d, po::positional_options_description& pos);
int cmd_verify(const po::variables_map& vm);
void watch_options(po::options_description& d, po::positional_options_description& pos);
int cmd_watch(const po::variables_map& vm);
void worker_options(po::options_description& d, po::positional_options_description& pos);
int cmd_worker(const po::variables_map& vm);
void doctor_options(po::options_description& d, po::positional_options_description& pos);
int cmd_doctor(const po::variables_map& vm);
void cleanup_options(po::options_description& d, po::positional_options_description& pos);
int cmd_cleanup(const po::variables_map& vm);

}  // namespace pyjudge::cli
