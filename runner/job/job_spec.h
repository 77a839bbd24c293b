// The one job-spec parser: a batch line (JSON Lines or CSV), a watch spool's
// ID.json and the limits of a problem.json all go through it, so a key means
// the same thing, with the same checks and messages, wherever it is written.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "runner/job/job.h"
#include "runner/shared/expected.h"

namespace pyjudge::runner {

// Reads a file holding one JSON object; errors start with `shown`.
Expected<nlohmann::json> read_json_object(const std::filesystem::path& path, const std::string& shown);

// What a spec may say where it is written.
struct JobSpecRules {
  // "script" and "stdin" may be given; each goes through `resolve` (relative
  // to a jobs file's folder, or confined to a spool's files/).
  bool names_files = false;
  std::function<Expected<std::filesystem::path>(const std::string& value)> resolve;
  bool names_group = false;  // "group" may be given (batch)
  // "runtime" may be given (batch lines and problem.json, which the operator
  // writes); a watch spool's inbox writers may not pick their own sandbox.
  bool names_runtime = false;
  bool needs_id = false;                // "id" is required (batch)
  std::optional<std::string> fixed_id;  // "id", if given, must be this (watch)
};

// True for the keys that set a limit (time_limit, memory, cpus, ...).
bool is_limit_key(const std::string& key);

// Applies one key of a spec to `job`. `value` is a JSON string or number (a
// CSV cell arrives as a string). The error names the key.
Status apply_job_field(Job& job, const std::string& key, const nlohmann::json& value, const JobSpecRules& rules);

// Applies the limit keys of the JSON object `object` to `limits` and skips
// the others (a problem.json has its own keys beside them).
Status apply_limit_fields(Limits& limits, const nlohmann::json& object);

// Applies every key of the JSON object `spec` to `job` (whose limits hold the
// defaults), then checks that what is required is there and validates the job.
Status apply_job_spec(Job& job, const nlohmann::json& spec, const JobSpecRules& rules);

}  // namespace pyjudge::runner
