// The farm's producer side: a batch's units of jobs onto the queue, their
// results back into OUT exactly as a local run writes them, with --resume,
// fail-fast, a clean queue after an interrupt, and the re-enqueueing of any
// unit that a Redis restart lost.
#pragma once

#include <string>
#include <vector>

#include "judge/batch.h"
#include "judge/farm/farm_message.h"
#include "judge/farm/redis_url.h"

namespace pyjudge::judge {

struct FarmTarget {
  RedisUrl url;
  std::string queue = "pyjudge";
};

// Runs `jobs` on the farm's workers. `label` tells a command's batches apart
// in OUT/.pyjudge/farm-LABEL.json, which holds the batch id for --resume
// ("batch"; grade's "runs" and "checks"). Never throws for the queue's
// failures: a Redis lost for good sets outcome.error.
BatchOutcome run_farm_batch(std::vector<runner::Job> jobs, const BatchOptions& opt, const FarmTarget& farm,
                            const std::string& label, const OnJobEnd& on_end, const OnTick& on_tick);

}  // namespace pyjudge::judge
