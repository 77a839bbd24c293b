// What the commands that grade (grade, verify) share: their options as
// GradeOptions, the engine checks before the first run, and the pool that
// runs a grading's jobs under a progress line.
#pragma once

#include <cstddef>
#include <optional>

#include "judge/cli/options.h"
#include "judge/farm/farm_producer.h"
#include "judge/grade.h"
#include "runner/sandbox/session.h"

namespace pyjudge::cli {

// The option tables every grading command takes: --time-limit, the pool's,
// --isolation, the engine's and logging.
void add_grade_options(po::options_description& d);

// --image, --seccomp, --jobs, --retries and --isolation.
judge::GradeOptions grade_options_from(const po::variables_map& vm);

// A submission the problem cannot take (too large for /tmp, say) is bad
// input, not an IE: throws UsageError.
void require_valid(const std::vector<judge::Submission>& subs, const judge::Problem& problem);

// The engine answers, can take the problem's limits and has the image;
// containers of dead pyjudge processes are reaped. Throws UsageError or
// UnavailableError.
void prepare_engine(const judge::Problem& problem, const judge::GradeOptions& opt, const runner::Session& session);

// Grades on the pool, or on the farm when `farm` is given, with a progress
// line on a terminal unless `quiet`.
judge::GradeReport grade_on_pool(const judge::Problem& problem, const std::vector<judge::Submission>& subs,
                                 const judge::GradeOptions& opt, const runner::Session& session, bool quiet,
                                 const std::optional<judge::FarmTarget>& farm = std::nullopt);

// With --queue, the farm's checks in place of the engine's: the problem and
// its tests fit the wire format, Redis answers. Throws UsageError or
// UnavailableError.
void prepare_farm(const judge::Problem& problem, const judge::FarmTarget& farm);

}  // namespace pyjudge::cli
