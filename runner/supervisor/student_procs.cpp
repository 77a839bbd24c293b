#include "runner/supervisor/student_procs.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "runner/shared/protocol.h"

namespace pyjudge::supervisor {

namespace {

struct DirClose {
  void operator()(DIR* d) const { ::closedir(d); }
};
struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// The pid a /proc entry names, or -1.
pid_t pid_of(const char* name) {
  char* end = nullptr;
  const long v = std::strtol(name, &end, 10);
  return end != name && *end == '\0' && v > 0 ? static_cast<pid_t>(v) : -1;
}

std::optional<std::int64_t> first_number(const std::string& path) {
  const std::unique_ptr<std::FILE, FileClose> f(std::fopen(path.c_str(), "re"));
  long long v = 0;
  if (!f || std::fscanf(f.get(), "%lld", &v) != 1) return std::nullopt;
  return v;
}

// utime + stime from /proc/PID/stat, in ns (fields 14 and 15, after the
// parenthesised command, which may itself hold spaces and parentheses).
std::optional<std::int64_t> stat_cpu_ns(pid_t pid) {
  const std::unique_ptr<std::FILE, FileClose> f(std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "re"));
  if (!f) return std::nullopt;
  char line[1024];
  if (!std::fgets(line, sizeof line, f.get())) return std::nullopt;
  const char* p = std::strrchr(line, ')');
  if (!p) return std::nullopt;
  unsigned long long ut = 0;
  unsigned long long st = 0;
  // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  if (std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
    return std::nullopt;
  const long hz = ::sysconf(_SC_CLK_TCK);
  return static_cast<std::int64_t>((ut + st) * (1'000'000'000ULL / static_cast<unsigned long long>(hz > 0 ? hz : 100)));
}

}  // namespace

bool kill_student_processes(pid_t keep, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    const std::unique_ptr<DIR, DirClose> proc(::opendir("/proc"));
    if (!proc) return false;
    int killed = 0;
    while (const dirent* e = ::readdir(proc.get())) {
      const pid_t pid = pid_of(e->d_name);
      if (pid <= 1 || pid == keep) continue;
      struct stat st{};
      const std::string dir = std::string("/proc/") + e->d_name;
      if (::stat(dir.c_str(), &st) != 0 || st.st_uid != pyjudge::protocol::kSandboxUid) continue;
      if (::kill(pid, SIGKILL) == 0) ++killed;
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
    const auto ns = first_number(base + "/" + e->d_name + "/schedstat");
    if (!ns) return stat_cpu_ns(pid);  // no schedstats in this kernel
    sum += *ns;
    any = true;
  }
  return any ? std::optional<std::int64_t>(sum) : stat_cpu_ns(pid);
}

std::int64_t own_cpu_ns() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return (static_cast<std::int64_t>(ru.ru_utime.tv_sec) + ru.ru_stime.tv_sec) * 1'000'000'000 +
         (static_cast<std::int64_t>(ru.ru_utime.tv_usec) + ru.ru_stime.tv_usec) * 1000;
}

}  // namespace pyjudge::supervisor
