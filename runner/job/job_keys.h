// The one table of a job's keys: each named once, with its command-line
// option, its name in JSON (jobs files, watch's ID.json, problem.json,
// result.json, report.json, the farm's messages, the CSV header), the alias
// still accepted on input, its unit, its range and its help. Everything that
// reads or writes a job's keys goes through it.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace pyjudge::runner {

enum class KeyUnit {
  Seconds,  // a positive decimal ("2.5")
  Bytes,    // Docker's size syntax ("256m")
  Cores,    // a positive decimal
  Count,    // a whole number
  Name,     // a runtime's name, or "default"
  Id,       // a job's id
  File,     // a path (a jobs file's folder, or a spool's files/)
  Group,    // a warm-container group's name
};

enum class KeyRole {
  Limit,      // a field of Limits: a --option, and in result.json's "limits"
  Container,  // a field of Limits set by the operator (--runtime), not a cap
  Job,        // the job itself (id, script, stdin, group): no option
};

struct JobKey {
  std::string_view name;    // in JSON and CSV, in and out
  std::string_view alias;   // also accepted on input; empty: none
  std::string_view option;  // the command-line option; empty: none
  KeyUnit unit;
  KeyRole role;
  std::string_view range;  // for messages and help: "(0, 86400]"
  std::string_view help;
};

// Every key, limits first (in result.json's order), then the job's own.
std::span<const JobKey> job_keys();
// The key `name` names (itself or its alias), or nothing.
std::optional<JobKey> find_job_key(std::string_view name);
std::string_view to_string(KeyUnit unit);

}  // namespace pyjudge::runner
