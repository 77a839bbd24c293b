// The end of a batch: OUT/summary.json, the human summary, the exit code.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "judge/batch.h"

namespace pyjudge::judge {

nlohmann::json summary_json(const BatchOutcome& outcome);
std::string human_summary(const BatchOutcome& outcome);
// 128+signal when interrupted; else 255 if any status is -1, 124 if the
// worst is a time-out, 0 when every job has status 0.
int batch_exit_code(const BatchOutcome& outcome);

}  // namespace pyjudge::judge
