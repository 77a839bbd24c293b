#include "runner/supervisor/cgroup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace pyjudge::supervisor {

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

// A small flat-keyed file ("KEY N" lines; /proc/meminfo's "Key: N kB"),
// read once and then looked up as often as needed: memory.stat is read
// every 20 ms for two keys.
class KeyedFile {
 public:
  explicit KeyedFile(const std::string& path) : ok_(slurp(path, buf_, sizeof buf_)) {}

  // The number after `key` and `sep` at the start of a line.
  std::optional<std::int64_t> value(const char* key, char sep = ' ') const {
    if (!ok_) return std::nullopt;
    const std::size_t klen = std::strlen(key);
    for (const char* line = buf_; line && *line;) {
      if (std::strncmp(line, key, klen) == 0 && line[klen] == sep) {
        char* end = nullptr;
        const long long v = std::strtoll(line + klen + 1, &end, 10);
        if (end != line + klen + 1) return v;
      }
      line = std::strchr(line, '\n');
      if (line) ++line;
    }
    return std::nullopt;
  }

 private:
  char buf_[4096] = {};  // memory.stat is the longest, about 1.5 KiB on v1
  bool ok_;
};

std::optional<std::int64_t> keyed(const std::string& path, const char* key) { return KeyedFile(path).value(key); }

bool is_v1(const std::string& root) { return ::access((root + "/memory/memory.oom_control").c_str(), R_OK) == 0; }

std::optional<std::int64_t> sum(std::optional<std::int64_t> a, std::optional<std::int64_t> b) {
  if (!a || !b) return std::nullopt;
  return *a + *b;
}

std::optional<std::int64_t> kib_to_bytes(std::optional<std::int64_t> kib) {
  if (!kib) return std::nullopt;
  return *kib * 1024;
}

}  // namespace

MemorySample read_memory_sample(const std::string& root) {
  MemorySample m;
  if (is_v1(root)) {
    const KeyedFile stat(root + "/memory/memory.stat");
    m.resident_bytes = sum(stat.value("total_rss"), stat.value("total_shmem"));
    if (!m.resident_bytes) m.resident_bytes = sum(stat.value("rss"), stat.value("shmem"));
    m.charged_bytes = first_number(root + "/memory/memory.usage_in_bytes");
    return m;
  }
  const KeyedFile stat(root + "/memory.stat");
  m.resident_bytes = sum(stat.value("anon"), stat.value("shmem"));
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
  const KeyedFile info(path);
  MemorySample m;
  m.resident_bytes = kib_to_bytes(sum(info.value("AnonPages", ':'), info.value("Shmem", ':')));
  const auto total = info.value("MemTotal", ':');
  const auto free = info.value("MemFree", ':');
  if (total && free) m.charged_bytes = (*total - *free) * 1024;
  return m;
}

std::optional<std::int64_t> read_meminfo_total(const std::string& path) {
  return kib_to_bytes(KeyedFile(path).value("MemTotal", ':'));
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

}  // namespace pyjudge::supervisor
