// run_job: runs one Job in a fresh container from create to removal, streams
// its output into OUT/ID/, classifies the outcome and writes result.json.
#pragma once

#include <filesystem>
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
};

// Never throws for the job's own failures: engine and I/O trouble become an
// IE result. An interrupt (see interrupt.h) kills and removes the container
// and returns a result with `interrupted` set and nothing written.
JobResult run_job(Engine& engine, const Job& job, const RunContext& ctx);

}  // namespace pyjudge
