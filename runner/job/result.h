// JobResult: everything known about one finished job, and its result.json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "runner/job/job_limits.h"
#include "runner/job/verdict.h"
#include "runner/shared/expected.h"

namespace pyjudge::runner {

struct JobResult {
  std::string id;
  Verdict verdict = Verdict::IE;
  std::optional<int> exit_code;
  std::optional<int> signal;
  double wall_time = 0;  // seconds the script ran (measured inside when known)
  std::optional<double> cpu_time;
  std::optional<std::int64_t> memory_peak;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  Limits limits;
  std::string image;
  std::string started_at;  // ISO 8601 UTC
  std::string finished_at;
  std::string message;                  // why, in words; empty for OK
  IeReason ie_reason = IeReason::None;  // for IE: which of the judge's failures
  int attempts = 1;
  std::string worker;  // a farm worker's host:pid; empty for a local run (and then not written)
  // One side of an interactive pair (a submission's run and its validator's):
  // whether this run ended before the other (written only then).
  std::optional<bool> ended_first;
  // CLOCK_MONOTONIC when the run ended, inside its container (the host's
  // clock under runc): an interactive pair's finer order. Written then only.
  std::optional<std::int64_t> ended_ns;
  bool interrupted = false;  // never written: an interrupted job has no result

  int status() const { return status_of(verdict); }
};

nlohmann::json to_json(const JobResult& r);
// Reads back a result.json (for --resume); fails on anything incomplete.
Expected<JobResult> result_from_json(const nlohmann::json& j);
std::string iso8601_now();

}  // namespace pyjudge::runner
