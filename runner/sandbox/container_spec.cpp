#include "runner/sandbox/container_spec.h"

#include <cmath>

#include "runner/shared/gvisor_memory.h"

namespace pyjudge::runner {

std::int64_t container_pids(const Limits& limits) {
  return is_gvisor(limits.runtime) ? limits.pids + kGvisorPidsHeadroom : limits.pids;
}

std::int64_t container_memory(const Limits& limits) {
  return is_gvisor(limits.runtime) ? limits.memory_bytes + kGvisorMemoryHeadroomBytes : limits.memory_bytes;
}

nlohmann::json container_spec(const std::string& image, const Limits& limits,
                              const std::map<std::string, std::string>& labels, Seccomp seccomp, ContainerRole role) {
  const bool functions = role == ContainerRole::FunctionRun;
  const bool as_root = functions || role == ContainerRole::ZygoteScript;
  const std::int64_t memory = container_memory(limits) + (functions ? protocol::kFunctionsHeadroomBytes : 0);
  // nr_inodes caps what millions of empty files could cost in kernel memory.
  // /dev/shm is a tmpfs of the same kind rather than the engine's (ShmSize
  // sets no inode cap).
  const std::string tmpfs_opts =
      "rw,nosuid,nodev,noexec,size=" + std::to_string(limits.tmp_bytes) + ",nr_inodes=16384,mode=1777";
  nlohmann::json host = {
      {"NetworkMode", "none"},
      {"Memory", memory},
      {"MemorySwap", memory},  // equal: no swap at all
      {"NanoCpus", static_cast<std::int64_t>(std::llround(limits.cpus * 1e9))},
      {"PidsLimit", container_pids(limits)},
      {"ReadonlyRootfs", true},
      {"Tmpfs", {{"/tmp", tmpfs_opts}, {"/dev/shm", tmpfs_opts}}},
      {"IpcMode", "private"},
      {"CapDrop", {"ALL"}},
      {"SecurityOpt", security_opts(seccomp, limits.runtime)},
      {"Privileged", false},
      // PID 1 is pyjudge's supervisor, which does an init's work (reaps
      // orphans) and, as init, cannot be signalled by the script; docker-init
      // would cost ~15 % of the engine's throughput and a killable supervisor.
      {"Init", false},
      {"LogConfig", {{"Type", "none"}, {"Config", nlohmann::json::object()}}},
      {"Ulimits",
       {{{"Name", "core"}, {"Soft", 0}, {"Hard", 0}},
        {{"Name", "nofile"}, {"Soft", 1024}, {"Hard", 1024}},
        // No POSIX message queues: nothing could list them to clean up
        // between the runs of one container.
        {{"Name", "msgqueue"}, {"Soft", 0}, {"Hard", 0}},
        // No file can be larger than /tmp can hold anyway.
        {{"Name", "fsize"}, {"Soft", limits.tmp_bytes}, {"Hard", limits.tmp_bytes}}}},
      {"OomKillDisable", false},
      {"Binds", nlohmann::json::array()},
      {"Mounts", nlohmann::json::array()},
      {"AutoRemove", false},
  };
  if (!limits.runtime.empty()) host["Runtime"] = limits.runtime;
  if (functions) host["CapAdd"] = {"SETUID", "SETGID"};
  // The zygote's fork empties its bounding set before it drops to the
  // sandbox's uid, so that a run has no capability left, as an exec'd one.
  if (role == ContainerRole::ZygoteScript) host["CapAdd"] = {"SETUID", "SETGID", "SETPCAP"};
  // Under gVisor the pids cgroup holds the Sentry's threads too, and a fork
  // bomb that reaches it kills the Sentry (IE). gVisor counts RLIMIT_NPROC
  // within the sandbox, so --pids holds there as a limit the script meets
  // (fork fails with EAGAIN). Not under runc: there RLIMIT_NPROC counts the
  // uid's processes in every container on the host.
  if (is_gvisor(limits.runtime))
    host["Ulimits"].push_back({{"Name", "nproc"}, {"Soft", limits.pids}, {"Hard", limits.pids}});
  return {
      {"Image", image},
      {"Cmd", role == ContainerRole::ZygoteScript ? nlohmann::json{protocol::kSupervisorPath, protocol::kZygoteArg}
                                                  : nlohmann::json{protocol::kSupervisorPath}},
      {"Entrypoint", nullptr},
      {"User", as_root ? "0:0" : kSandboxUser},
      {"WorkingDir", "/tmp"},
      {"Env",
       {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp", "LANG=C.UTF-8",
        "PYTHONDONTWRITEBYTECODE=1"}},
      {"Hostname", "sandbox"},
      {"NetworkDisabled", true},
      {"AttachStdin", true},
      {"AttachStdout", true},
      {"AttachStderr", true},
      {"OpenStdin", true},
      {"StdinOnce", true},  // the engine closes stdin when the attach half-closes
      {"Tty", false},
      {"Labels", labels},
      {"HostConfig", host},
  };
}

}  // namespace pyjudge::runner
