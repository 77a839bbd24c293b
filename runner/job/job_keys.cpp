#include "runner/job/job_keys.h"

#include <array>

namespace pyjudge::runner {

namespace {

// clang-format off
constexpr std::array kKeys = {
  JobKey{"time_limit", "", "time-limit", KeyUnit::Seconds, KeyRole::Limit, "(0, 86400]",
         "wall-clock limit in seconds (decimals allowed); the script gets SIGTERM, then SIGKILL after the grace"},
  JobKey{"kill_grace", "", "kill-grace", KeyUnit::Seconds, KeyRole::Limit, "[0, 60]", "seconds between SIGTERM and SIGKILL at the time limit"},
  JobKey{"memory", "", "memory", KeyUnit::Bytes, KeyRole::Limit, "[16m, 1p)", "memory cap, swap included, with b/k/m/g suffix (minimum 16m)"},
  JobKey{"cpus", "", "cpus", KeyUnit::Cores, KeyRole::Limit, "[0.01, 1024]", "CPU quota in cores (e.g. 0.5)"},
  JobKey{"pids", "", "pids", KeyUnit::Count, KeyRole::Limit, "[8, 1000000]", "maximum number of processes and threads"},
  JobKey{"output_limit", "stdout_limit", "output-limit", KeyUnit::Bytes, KeyRole::Limit, "[1b, 1p)", "stdout cap; past it the job is killed with OLE"},
  JobKey{"stderr_limit", "", "stderr-limit", KeyUnit::Bytes, KeyRole::Limit, "[1b, 1p)", "stderr cap; past it the job is killed with OLE"},
  JobKey{"tmp_size", "", "tmp-size", KeyUnit::Bytes, KeyRole::Limit, "[1m, 1p)", "size of the writable /tmp (and of /dev/shm)"},
  JobKey{"cpu_time_limit", "", "cpu-time-limit", KeyUnit::Seconds, KeyRole::Limit, "(0, 86400] or none",
         "CPU seconds the run may use, all its processes together (decimals allowed), or none; past it: TLE"},
  JobKey{"runtime", "", "runtime", KeyUnit::Name, KeyRole::Container, "1-64 of A-Z a-z 0-9 . _ -, or default",
         "OCI runtime registered with the engine (pyjudge doctor lists them; runsc is gVisor); a jobs file's or "
         "problem.json's own \"runtime\" wins"},
  JobKey{"id", "", "", KeyUnit::Id, KeyRole::Job, "letters, digits, '.', '_', '-'; at most 64", "the job's unique id"},
  JobKey{"script", "", "", KeyUnit::File, KeyRole::Job, "a file", "the Python script"},
  JobKey{"stdin", "", "", KeyUnit::File, KeyRole::Job, "a file, or empty", "the file fed to the script's stdin"},
  JobKey{"group", "", "", KeyUnit::Group, KeyRole::Job, "letters, digits, '.', '_', '-'; at most 64",
         "jobs of one group run one after another in one warm container"},
};
// clang-format on

}  // namespace

std::span<const JobKey> job_keys() { return kKeys; }

std::optional<JobKey> find_job_key(std::string_view name) {
  for (const auto& k : kKeys)
    if (k.name == name || (!k.alias.empty() && k.alias == name)) return k;
  return std::nullopt;
}

std::string_view to_string(KeyUnit unit) {
  switch (unit) {
    case KeyUnit::Seconds:
      return "seconds";
    case KeyUnit::Bytes:
      return "bytes";
    case KeyUnit::Cores:
      return "cores";
    case KeyUnit::Count:
      return "count";
    case KeyUnit::Name:
      return "name";
    case KeyUnit::Id:
      return "id";
    case KeyUnit::File:
      return "file";
    case KeyUnit::Group:
      return "group";
  }
  return "?";
}

}  // namespace pyjudge::runner
