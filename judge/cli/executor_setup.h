// Where a command's jobs run: the Executor built once from --jobs,
// --retries, --image, --seccomp and --queue, with its target checked before
// anything runs.
#pragma once

#include <memory>
#include <vector>

#include "judge/cli/options.h"
#include "judge/executor.h"
#include "judge/formats/problem.h"
#include "judge/formats/submission.h"
#include "runner/sandbox/session.h"

namespace pyjudge::cli {

// The option tables of the commands that run on an executor: the pool's
// (--jobs, --retries, --quiet), the engine's and the queue's.
void add_executor_options(po::options_description& d);

// The Executor from those options. With --queue: what the workers choose is
// refused, and Redis must answer. Without: the engine must answer and have
// the image, and containers of dead pyjudge processes are reaped. Throws
// UsageError (exit 2) or UnavailableError (exit 3).
std::unique_ptr<judge::Executor> open_executor(const po::variables_map& vm, const runner::Session& session);

// The problem's tests as the executor will get them: bad input (a limit the
// engine cannot honour, a test the farm cannot carry) throws UsageError
// naming the problem's file.
void require_accepted(const judge::Executor& executor, const judge::Problem& problem);

// A submission the problem cannot take (too large for /tmp, say) is bad
// input, not an IE: throws UsageError.
void require_valid(const std::vector<judge::Submission>& subs, const judge::Problem& problem);

// Where the problem's compiled validator is built and run: --compiler-image,
// checked with the engine (it must be there, with g++), and the build cache.
// Defaults when the problem has none. Throws UsageError or UnavailableError.
judge::CompilerOptions compiler_for(const po::variables_map& vm, const judge::Problem& problem);

// --compiler-image.
void add_compiler_option(po::options_description& d);

// The options that grade and verify share: the problem's defaults, the
// executor's, --isolation and logging.
void add_grade_options(po::options_description& d);

}  // namespace pyjudge::cli
