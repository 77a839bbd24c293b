#include "cgroup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace supervisor {

namespace {

// Small files only; the supervisor keeps no heap to speak of.
bool slurp(const std::string& path, char* buf, std::size_t cap) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::size_t len = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf + len, cap - 1 - len);
    if (n <= 0) break;
    len += static_cast<std::size_t>(n);
    if (len == cap - 1) break;
  }
  ::close(fd);
  buf[len] = '\0';
  return true;
}

std::optional<std::int64_t> first_number(const std::string& path) {
  char buf[64];
  if (!slurp(path, buf, sizeof buf)) return std::nullopt;
  char* end = nullptr;
  const long long v = std::strtoll(buf, &end, 10);
  if (end == buf) return std::nullopt;
  return v;
}

// The value of "KEY N" on a line of a flat-keyed file.
std::optional<std::int64_t> keyed(const std::string& path, const char* key) {
  char buf[4096];  // memory.stat is the longest, about 1.5 KiB on v1
  if (!slurp(path, buf, sizeof buf)) return std::nullopt;
  const std::size_t klen = std::strlen(key);
  for (char* line = buf; line && *line;) {
    char* next = std::strchr(line, '\n');
    if (next) *next++ = '\0';
    if (std::strncmp(line, key, klen) == 0 && line[klen] == ' ') {
      char* end = nullptr;
      const long long v = std::strtoll(line + klen + 1, &end, 10);
      if (end != line + klen + 1) return v;
    }
    line = next;
  }
  return std::nullopt;
}

bool is_v1(const std::string& root) { return ::access((root + "/memory/memory.oom_control").c_str(), R_OK) == 0; }

std::optional<std::int64_t> sum(std::optional<std::int64_t> a, std::optional<std::int64_t> b) {
  if (!a || !b) return std::nullopt;
  return *a + *b;
}

// /proc/meminfo's "Key:   N kB" lines, in bytes.
std::optional<std::int64_t> meminfo_kb(const char* text, const char* key) {
  const std::size_t klen = std::strlen(key);
  for (const char* line = text; line && *line;) {
    if (std::strncmp(line, key, klen) == 0 && line[klen] == ':') {
      char* end = nullptr;
      const long long v = std::strtoll(line + klen + 1, &end, 10);
      if (end != line + klen + 1) return v * 1024;
    }
    line = std::strchr(line, '\n');
    if (line) ++line;
  }
  return std::nullopt;
}

}  // namespace

MemorySample read_memory_sample(const std::string& root) {
  MemorySample m;
  if (is_v1(root)) {
    const std::string stat = root + "/memory/memory.stat";
    m.resident_bytes = sum(keyed(stat, "total_rss"), keyed(stat, "total_shmem"));
    if (!m.resident_bytes) m.resident_bytes = sum(keyed(stat, "rss"), keyed(stat, "shmem"));
    m.charged_bytes = first_number(root + "/memory/memory.usage_in_bytes");
    return m;
  }
  m.resident_bytes = sum(keyed(root + "/memory.stat", "anon"), keyed(root + "/memory.stat", "shmem"));
  m.charged_bytes = first_number(root + "/memory.current");
  return m;
}

std::optional<std::int64_t> read_memory_limit(const std::string& root) {
  // v1 reports "unlimited" as a huge page-rounded number, v2 as "max".
  constexpr std::int64_t kUnlimited = std::int64_t{1} << 60;
  std::optional<std::int64_t> limit =
      is_v1(root) ? first_number(root + "/memory/memory.limit_in_bytes") : first_number(root + "/memory.max");
  if (!limit || *limit <= 0 || *limit >= kUnlimited) return std::nullopt;
  return limit;
}

MemorySample read_meminfo_sample(const std::string& path) {
  MemorySample m;
  char buf[4096];
  if (!slurp(path, buf, sizeof buf)) return m;
  m.resident_bytes = sum(meminfo_kb(buf, "AnonPages"), meminfo_kb(buf, "Shmem"));
  const auto total = meminfo_kb(buf, "MemTotal");
  const auto free = meminfo_kb(buf, "MemFree");
  if (total && free) m.charged_bytes = *total - *free;
  return m;
}

std::optional<std::int64_t> read_meminfo_total(const std::string& path) {
  char buf[4096];
  if (!slurp(path, buf, sizeof buf)) return std::nullopt;
  return meminfo_kb(buf, "MemTotal");
}

std::optional<std::int64_t> read_cgroup_cpu_ns(const std::string& root) {
  if (auto v1 = first_number(root + "/cpuacct/cpuacct.usage")) return v1;
  if (auto usec = keyed(root + "/cpu.stat", "usage_usec")) return *usec * 1000;
  return std::nullopt;
}

CgroupCounters read_cgroup(const std::string& root) {
  CgroupCounters c;
  if (is_v1(root)) {
    c.version = "v1";
    c.cpu_ns = first_number(root + "/cpuacct/cpuacct.usage");
    c.oom_kills = keyed(root + "/memory/memory.oom_control", "oom_kill");
    return c;
  }
  if (::access((root + "/cgroup.controllers").c_str(), R_OK) == 0 ||
      ::access((root + "/memory.events").c_str(), R_OK) == 0) {
    c.version = "v2";
    if (auto usec = keyed(root + "/cpu.stat", "usage_usec")) c.cpu_ns = *usec * 1000;
    c.oom_kills = keyed(root + "/memory.events", "oom_kill");
  }
  return c;
}

}  // namespace supervisor
