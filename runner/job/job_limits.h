// Limits: the resource caps of one job, with pyjudge's defaults in one place
// and the parsing of the user-facing forms ("256m", "2.5").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "runner/shared/expected.h"

namespace pyjudge::runner {

struct Limits {
  double wall_limit_s = 2.0;                    // coreutils timeout inside the container
  double kill_grace_s = 1.0;                    // SIGTERM -> SIGKILL
  std::int64_t memory_bytes = 256LL << 20;      // memory and memory+swap
  double cpus = 1.0;                            // CFS quota, in cores
  std::int64_t pids = 64;                       // pids cgroup cap
  std::int64_t stdout_limit_bytes = 8LL << 20;  // past this: OLE
  std::int64_t stderr_limit_bytes = 1LL << 20;  // past this: OLE
  std::int64_t tmp_bytes = 64LL << 20;          // tmpfs /tmp (and /dev/shm)
  double cpu_time_limit_s = 0;                  // CPU seconds of the run, all processes; 0: none
  std::string runtime;                          // OCI runtime registered with the engine; empty: its default

  // The host kills a container that outlives its limit by this much, in case
  // the in-container timeout itself was defeated.
  double host_deadline_s() const { return wall_limit_s + kill_grace_s + 3.0; }
  // The caps of the container itself, which every run in it shares; the
  // rest (time, grace, CPU time, output caps) are each run's own.
  bool same_container_limits(const Limits& o) const {
    return memory_bytes == o.memory_bytes && cpus == o.cpus && pids == o.pids && tmp_bytes == o.tmp_bytes &&
           runtime == o.runtime;
  }
};

// The smallest memory cap accepted: the engine refuses < 6 MiB and the
// interpreter plus supervisor need about 12 MiB to start at all.
inline constexpr std::int64_t kMinMemoryBytes = 16LL << 20;
inline constexpr double kMaxWallLimitS = 24 * 3600.0;

// Docker's size syntax: a number with an optional b, k, m or g suffix
// (case-insensitive, powers of 1024). "256m" -> 268435456.
Expected<std::int64_t> parse_size(std::string_view text);
// A positive decimal number of seconds (or cores), at most `max`.
Expected<double> parse_positive(std::string_view text, std::string_view what, double max);
// The limit keys, from the one table of job keys (job_keys.h), in its order:
// "time_limit", "kill_grace", "memory", "cpus", "pids", "output_limit",
// "stderr_limit", "tmp_size", "cpu_time_limit", "runtime". "runtime" is not
// a cap but a container-level setting that travels the same way.
const std::vector<std::string>& limit_keys();
// Sets one limit from its text form; the message names the key. A key's
// alias ("stdout_limit") is its key; an unknown key is an error.
Status set_limit(Limits& limits, std::string_view key, std::string_view value);
// The same from a JSON value: a number (seconds, bytes, cores) or a string.
Status set_limit_json(Limits& limits, std::string_view key, const nlohmann::json& value);
// A JSON limit value as the text set_limit takes ("1073741824" for 1e9 or
// 1073741824.0, "0.5"), or nothing for a value of another type.
std::optional<std::string> limit_json_text(const nlohmann::json& value);

// Checks every field against its bounds; the message names the field.
Status validate(const Limits& limits);

// One limit's value as result.json writes it (null: none), and as an
// option's default shows it ("256m", "2", "none").
nlohmann::json limit_json(const Limits& limits, std::string_view key);
std::string limit_text(const Limits& limits, std::string_view key);
nlohmann::json to_json(const Limits& limits);
// The inverse of to_json (result.json's "limits", a farm message's): every
// key required, an alias read as its key (so older result.json files still
// load), an unknown key refused; then validated. The message names what is
// wrong.
Expected<Limits> limits_from_json(const nlohmann::json& j);
std::string format_size(std::int64_t bytes);

}  // namespace pyjudge::runner
