#include "runner/supervisor/student_procs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "runner/shared/protocol.h"
#include "runner/shared/unique_fd.h"

namespace pyjudge::supervisor {

namespace {

struct DirClose {
  void operator()(DIR* d) const { ::closedir(d); }
};

// The pid a /proc entry names, or -1.
pid_t pid_of(const char* name) {
  char* end = nullptr;
  const long v = std::strtol(name, &end, 10);
  return end != name && *end == '\0' && v > 0 ? static_cast<pid_t>(v) : -1;
}

// A small /proc file's text (at most 1 KiB), or "".
std::string small_file(const std::string& path) {
  const pyjudge::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return "";
  char buf[1024];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

// The file's first field as a number.
std::optional<std::int64_t> proc_first_number(const std::string& path) {
  const std::string text = small_file(path);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || errno != 0 || v < 0) return std::nullopt;
  return v;
}

// utime + stime from /proc/PID/stat, in ns (fields 14 and 15, after the
// parenthesised command, which may itself hold spaces and parentheses).
std::optional<std::int64_t> stat_cpu_ns(pid_t pid) {
  const std::string line = small_file("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = line.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  // After the command: state ppid pgrp session tty tpgid flags minflt
  // cminflt majflt cmajflt utime stime.
  const char* p = line.c_str() + paren + 1;
  std::int64_t ticks = 0;
  for (int field = 1; field <= 13; ++field) {
    while (*p == ' ') ++p;
    if (field >= 12) {
      char* end = nullptr;
      const long long v = std::strtoll(p, &end, 10);
      if (end == p) return std::nullopt;
      ticks += v;
    }
    p += std::strcspn(p, " ");
  }
  const long hz = ::sysconf(_SC_CLK_TCK);
  return ticks * (1'000'000'000 / (hz > 0 ? hz : 100));
}

}  // namespace

bool kill_student_processes(pid_t keep, int rounds) {
  // A killed process stays in /proc until it is reaped (a zombie, which
  // kill() still "succeeds" on): only a pid not signalled before counts as
  // one that appeared since the last round.
  std::set<pid_t> signalled;
  for (int round = 0; round < rounds; ++round) {
    const std::unique_ptr<DIR, DirClose> proc(::opendir("/proc"));
    if (!proc) return false;
    int killed = 0;
    while (const dirent* e = ::readdir(proc.get())) {
      const pid_t pid = pid_of(e->d_name);
      if (pid <= 1 || pid == keep) continue;
      struct stat st {};
      const std::string dir = std::string("/proc/") + e->d_name;
      if (::stat(dir.c_str(), &st) != 0 || st.st_uid != pyjudge::protocol::kSandboxUid) continue;
      if (::kill(pid, SIGKILL) == 0 && signalled.insert(pid).second) ++killed;
    }
    if (killed == 0) return true;
  }
  return false;
}

std::optional<std::int64_t> process_cpu_ns(pid_t pid) {
  const std::string base = "/proc/" + std::to_string(pid) + "/task";
  const std::unique_ptr<DIR, DirClose> tasks(::opendir(base.c_str()));
  if (!tasks) return std::nullopt;
  std::int64_t sum = 0;
  bool any = false;
  while (const dirent* e = ::readdir(tasks.get())) {
    if (pid_of(e->d_name) < 0) continue;
    const auto ns = proc_first_number(base + "/" + e->d_name + "/schedstat");
    if (!ns) return stat_cpu_ns(pid);  // no schedstats in this kernel
    sum += *ns;
    any = true;
  }
  return any ? std::optional<std::int64_t>(sum) : stat_cpu_ns(pid);
}

std::optional<std::int64_t> resident_bytes(pid_t pid) {
  // statm: size, then resident, in pages.
  const std::string text = small_file("/proc/" + std::to_string(pid) + "/statm");
  const char* p = text.c_str() + std::strcspn(text.c_str(), " ");
  char* end = nullptr;
  const long long pages = std::strtoll(p, &end, 10);
  if (end == p) return std::nullopt;
  return pages * ::sysconf(_SC_PAGESIZE);
}

std::int64_t own_cpu_ns() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return (static_cast<std::int64_t>(ru.ru_utime.tv_sec) + ru.ru_stime.tv_sec) * 1'000'000'000 +
         (static_cast<std::int64_t>(ru.ru_utime.tv_usec) + ru.ru_stime.tv_usec) * 1000;
}

}  // namespace pyjudge::supervisor
