// Session: who owns a container. Every container carries labels naming this
// pyjudge process (session id, pid, the pid's start time, host), so a later
// run can tell a live owner from a dead one and reap what the dead one left.
#pragma once

#include <map>
#include <string>

namespace pyjudge::runner {

inline constexpr const char* kLabelOwned = "org.pyjudge";  // "1" on every container of ours
inline constexpr const char* kLabelSession = "org.pyjudge.session";
inline constexpr const char* kLabelJob = "org.pyjudge.job";
inline constexpr const char* kLabelPid = "org.pyjudge.owner_pid";
inline constexpr const char* kLabelStart = "org.pyjudge.owner_start";
inline constexpr const char* kLabelHost = "org.pyjudge.owner_host";

struct Session {
  std::string id;  // random, 12 hex digits
  long pid = 0;
  std::string start;  // the process's start time in clock ticks since boot
  std::string host;

  static Session current();
  std::map<std::string, std::string> labels(const std::string& job_id) const;
};

// True when the labels name a process on this host that no longer exists
// (or whose pid now belongs to another process).
bool owner_is_gone(const std::map<std::string, std::string>& labels, const std::string& this_host);

// Field 22 of /proc/PID/stat, or "" when the process does not exist.
std::string process_start_ticks(long pid);

}  // namespace pyjudge::runner
