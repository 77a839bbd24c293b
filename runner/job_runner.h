// run_job: runs one Job in a fresh container from create to removal, streams
// its output into OUT/ID/, classifies the outcome and writes result.json.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "engine.h"
#include "job.h"
#include "result.h"
#include "session.h"

namespace pyjudge {

struct RunContext {
  std::string image;
  std::filesystem::path out_dir;
  Session session;
  int attempt = 1;
  // Polled while the job runs; true kills and removes the container at once.
  // Empty means "an interrupt arrived" (interrupt.h).
  std::function<bool()> should_abort;
};

// Never throws for the job's own failures: engine and I/O trouble become an
// IE result. When should_abort says so, the container is killed and removed
// and the result comes back with `interrupted` set and nothing written.
JobResult run_job(Engine& engine, const Job& job, const RunContext& ctx);

}  // namespace pyjudge
