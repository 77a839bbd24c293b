// The supervisor's pure parts, run on the host: the cgroup counters on v1
// and v2 layouts (fixture folders), the signed launch-error lines, the
// record, and the wipe of /tmp (on a scratch tree).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "runner/sandbox/supervisor_protocol.h"
#include "runner/supervisor/cgroup.h"
#include "runner/supervisor/launch.h"
#include "runner/supervisor/memory_watch.h"
#include "runner/supervisor/record.h"
#include "runner/supervisor/wipe.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A scratch folder under /var/tmp (the engine tests watch /tmp), removed
// afterwards, through the wipe first in case a deep tree is left.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = "/var/tmp/pyjudge-wipe-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    (void)pyjudge::supervisor::empty_directory(path_.string());
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// An empty file `name` in the directory `at`.
bool touch(int at, const char* name) {
  const int f = ::openat(at, name, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (f < 0) return false;
  ::close(f);
  return true;
}

// Makes `depth` directories "d", each in the one before, starting in `top`
// and always relative to the last one (the whole path would be far beyond
// PATH_MAX); every 1000th level gets a file, and a link to `outside`. The
// deepest one holds a file and is left locked (mode 0), as a script could.
// Returns how many levels were made.
int make_deep_tree(const fs::path& top, int depth, const fs::path& outside) {
  int fd = ::open(top.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int made = 0;
  for (; fd >= 0 && made < depth; ++made) {
    if (::mkdirat(fd, "d", 0700) != 0) break;
    const int sub = ::openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    fd = sub;
    if (fd < 0) return made;
    if (made % 1000 == 0 && (!touch(fd, "f") || ::symlinkat(outside.c_str(), fd, "link") != 0)) break;
  }
  if (fd < 0) return made;
  const bool locked = touch(fd, "last") && ::fchmod(fd, 0) == 0;
  ::close(fd);
  return locked ? made : -1;
}

}  // namespace

TEST_SUITE("supervisor") {
  TEST_CASE("cgroup v1 counters") {
    pyjudge::testing::TempDir d("cg1");
    put(d.path() / "cpuacct/cpuacct.usage", "123456789\n");
    put(d.path() / "memory/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    const auto c = pyjudge::supervisor::read_cgroup(d.path().string());
    CHECK(std::string(c.version) == "v1");
    CHECK(c.cpu_ns == 123456789);
    CHECK(c.oom_kills == 2);
    CHECK(pyjudge::supervisor::read_cgroup_cpu_ns(d.path().string()) == 123456789);
  }

  TEST_CASE("cgroup v2 counters") {
    pyjudge::testing::TempDir d("cg2");
    put(d.path() / "cgroup.controllers", "cpu memory pids\n");
    put(d.path() / "cpu.stat", "usage_usec 4500\nuser_usec 4000\nsystem_usec 500\n");
    put(d.path() / "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
    const auto c = pyjudge::supervisor::read_cgroup(d.path().string());
    CHECK(std::string(c.version) == "v2");
    CHECK(c.cpu_ns == 4'500'000);
    CHECK(c.oom_kills == 1);
    CHECK(pyjudge::supervisor::read_cgroup_cpu_ns(d.path().string()) == 4'500'000);
  }

  TEST_CASE("cgroup v1 memory: the run's own memory (rss + shmem, not the cache), the cap and its hits") {
    pyjudge::testing::TempDir d("cg1m");
    put(d.path() / "memory/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    put(d.path() / "memory/memory.stat",
        "cache 900000000\nrss 100\nshmem 7\nmapped_file 5\ntotal_cache 900000000\ntotal_rss 120000000\n"
        "total_shmem 4000000\ntotal_mapped_file 5\n");
    put(d.path() / "memory/memory.usage_in_bytes", "1000000000\n");
    put(d.path() / "memory/memory.limit_in_bytes", "134217728\n");
    const auto m = pyjudge::supervisor::read_memory_sample(d.path().string());
    CHECK(m.resident_bytes == 124'000'000);
    CHECK(m.charged_bytes == 1'000'000'000);
    CHECK(pyjudge::supervisor::read_memory_limit(d.path().string()) == 134217728);
    put(d.path() / "memory/memory.limit_in_bytes", "9223372036854771712\n");
    CHECK_FALSE(pyjudge::supervisor::read_memory_limit(d.path().string()));
  }

  TEST_CASE("cgroup v2 memory: anon + shmem, memory.events max, memory.max") {
    pyjudge::testing::TempDir d("cg2m");
    put(d.path() / "cgroup.controllers", "cpu memory pids\n");
    put(d.path() / "memory.stat", "anon 1000\nfile 99999999\nkernel 5\nshmem 24\n");
    put(d.path() / "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
    put(d.path() / "memory.max", "max\n");
    put(d.path() / "memory.current", "123456\n");
    const auto m = pyjudge::supervisor::read_memory_sample(d.path().string());
    CHECK(m.resident_bytes == 1024);
    CHECK(m.charged_bytes == 123456);
    CHECK_FALSE(pyjudge::supervisor::read_memory_limit(d.path().string()));
    put(d.path() / "memory.max", "67108864\n");
    CHECK(pyjudge::supervisor::read_memory_limit(d.path().string()) == 67108864);
  }

  TEST_CASE("the memory watch: at the cap only when the container is full and the run holds at least half of it") {
    using pyjudge::supervisor::MemorySample;
    using pyjudge::supervisor::MemoryWatch;
    constexpr std::int64_t kCap = 100 << 20;
    constexpr std::int64_t kMs = 1'000'000;
    constexpr std::int64_t kFull = kCap - (1 << 20);
    // The run's own memory, everything charged.
    const auto at = [](std::int64_t own, std::int64_t charged) { return MemorySample{own, charged}; };
    SUBCASE("a full container while the run's own memory is small (page cache an earlier run left) is no sign") {
      MemoryWatch w(kCap, 0);
      for (int i = 1; i < 50; ++i) CHECK_FALSE(w.observe(i * 20 * kMs, at(40 << 20, kFull), 0));
      CHECK_FALSE(w.reached_ns());
      CHECK(w.peak_bytes() == 40 << 20);
    }
    SUBCASE("much of the run's own memory in a container that is not full is no sign") {
      MemoryWatch w(kCap, 0);
      for (int i = 1; i < 50; ++i) CHECK_FALSE(w.observe(i * 20 * kMs, at(kCap * 8 / 10, kCap * 94 / 100), 0));
      CHECK_FALSE(w.reached_ns());
    }
    SUBCASE("at the cap for 500 ms: ended, first seen at the start") {
      // The interpreter's file pages and the kernel's memory fill the rest.
      MemoryWatch w(kCap, 0);
      CHECK_FALSE(w.observe(20 * kMs, at(50 << 20, 60 << 20), 0));
      CHECK_FALSE(w.observe(40 * kMs, at(kCap * 85 / 100, kFull), 0));
      CHECK(w.reached_ns() == 40 * kMs);
      CHECK_FALSE(w.observe(300 * kMs, at(kCap * 85 / 100, kFull), 0));
      CHECK_FALSE(w.observe(520 * kMs, at(kCap * 85 / 100, kCap), 0));
      CHECK(w.observe(540 * kMs, at(kCap * 86 / 100, kCap), 0));
      CHECK(w.reached_ns() == 40 * kMs);
      CHECK(w.peak_bytes() == kCap * 86 / 100);
    }
    SUBCASE("a run whose container stops being full starts over") {
      MemoryWatch w(kCap, 0);
      CHECK_FALSE(w.observe(20 * kMs, at(kCap * 8 / 10, kFull), 0));
      CHECK_FALSE(w.observe(300 * kMs, at(kCap / 2, kCap * 6 / 10), 0));
      CHECK_FALSE(w.observe(540 * kMs, at(kCap * 8 / 10, kFull), 0));
      CHECK(w.observe(1040 * kMs, at(kCap * 8 / 10, kFull), 0));
      CHECK(w.reached_ns() == 20 * kMs);
    }
    SUBCASE("an OOM kill during the run marks the cap reached, without ending the run") {
      MemoryWatch w(kCap, 3);
      CHECK_FALSE(w.observe(20 * kMs, at(1 << 20, 8 << 20), 3));
      CHECK_FALSE(w.observe(60 * kMs, at(1 << 20, 8 << 20), 4));
      CHECK(w.reached_ns() == 60 * kMs);
    }
    SUBCASE("without a known cap nothing is ever at it") {
      MemoryWatch w(std::nullopt, std::nullopt);
      for (int i = 1; i < 50; ++i) CHECK_FALSE(w.observe(i * 20 * kMs, at(kCap, kCap), std::nullopt));
      CHECK_FALSE(w.reached_ns());
    }
  }

  TEST_CASE("gVisor's /proc/meminfo: the sandbox's own accounting, and a cap the supervisor enforces") {
    pyjudge::testing::TempDir d("meminfo");
    put(d.path() / "meminfo",
        "MemTotal:         393216 kB\nMemFree:          250712 kB\nMemAvailable:     250712 kB\n"
        "Cached:             7088 kB\nAnonPages:        106740 kB\nShmem:               16 kB\n");
    const std::string path = (d.path() / "meminfo").string();
    const auto m = pyjudge::supervisor::read_meminfo_sample(path);
    CHECK(m.resident_bytes == (106740 + 16) * 1024LL);
    CHECK(m.charged_bytes == (393216 - 250712) * 1024LL);
    CHECK(pyjudge::supervisor::read_meminfo_total(path) == 393216 * 1024LL);
    CHECK_FALSE(pyjudge::supervisor::read_meminfo_total((d.path() / "none").string()));

    using pyjudge::supervisor::MemorySample;
    using pyjudge::supervisor::MemoryWatch;
    constexpr std::int64_t kCap = 128 << 20;
    MemoryWatch w(kCap, std::nullopt, MemoryWatch::Cap::SupervisorEnforced);
    CHECK_FALSE(w.observe(20'000'000, MemorySample{kCap - 1, kCap * 2}, std::nullopt));
    CHECK_FALSE(w.reached_ns());
    CHECK(w.observe(40'000'000, MemorySample{kCap, kCap}, std::nullopt));
    CHECK(w.reached_ns() == 40'000'000);
    CHECK(w.peak_bytes() == kCap);
  }

  TEST_CASE("no cgroupfs (gVisor, or none mounted): nothing is made up") {
    pyjudge::testing::TempDir d("cg0");
    const auto c = pyjudge::supervisor::read_cgroup(d.path().string());
    CHECK(std::string(c.version) == "none");
    CHECK_FALSE(c.cpu_ns);
    CHECK_FALSE(c.oom_kills);
  }

  TEST_CASE("a launch error counts only when signed with the run's nonce") {
    const std::string nonce = "0123456789abcdef";
    CHECK(pyjudge::supervisor::launch_error(nonce + " python3 2\n", nonce) ==
          "cannot execute python3: No such file or directory");
    CHECK(pyjudge::supervisor::launch_error(nonce + " timeout 13\n", nonce).find("cannot execute timeout") == 0);
    CHECK(pyjudge::supervisor::launch_error("", nonce).empty());
    // Forged by the script (it cannot know the nonce), or garbled.
    CHECK(pyjudge::supervisor::launch_error("ffffffffffffffff python3 2\n", nonce).empty());
    CHECK(pyjudge::supervisor::launch_error(nonce + " rm 2\n", nonce).empty());
    CHECK(pyjudge::supervisor::launch_error(nonce + "\n", nonce).empty());
    // A forged line before the real one does not hide it.
    CHECK(pyjudge::supervisor::launch_error("junk junk 1\n" + nonce + " python3 2\n", nonce).find("python3") !=
          std::string::npos);
  }

  TEST_CASE("the supervisor's record is what the host parses") {
    const std::string nonce = "0123456789abcdef";
    pyjudge::supervisor::RunRecord r;
    r.signal = 9;
    r.wall_ns = 1'500'000'000;
    r.cpu_ns = 1'200'000'000;
    r.memory_peak = 8 << 20;
    r.oom_kills = 0;
    r.memory_cap_ns = 250'000'000;
    r.cause = "cpu";
    r.error = "a \"quoted\"\nline\x01";
    r.cgroup = "v2";
    r.reusable = true;
    const auto back = pyjudge::runner::parse_record(pyjudge::supervisor::format_record(nonce, r), nonce);
    REQUIRE(back);
    CHECK_FALSE(back->rc);
    CHECK(back->signal == 9);
    CHECK(back->wall_ns == 1'500'000'000);
    CHECK(back->cpu_ns == 1'200'000'000);
    CHECK(back->memory_peak == 8 << 20);
    CHECK(back->oom_kills == 0);
    CHECK(back->memory_cap_ns == 250'000'000);
    CHECK(back->cause == "cpu");
    CHECK(back->error == r.error);
    CHECK(back->reusable);
    CHECK_FALSE(pyjudge::runner::parse_record(pyjudge::supervisor::format_record(nonce, r), "ffffffffffffffff"));
  }

  TEST_CASE("the wipe of /tmp removes a tree of any depth, and nothing outside it") {
    ScratchDir scratch;
    const fs::path root = scratch.path() / "tmp";
    const fs::path outside = scratch.path() / "outside";
    put(scratch.path() / "sibling", "keep\n");
    put(outside / "file", "keep too\n");
    put(root / "top-file", "x");
    fs::create_directories(root / "locked" / "inner");
    put(root / "locked" / "inner" / "f", "y");
    fs::permissions(root / "locked", fs::perms::none);
    REQUIRE(make_deep_tree(root, 20000, outside) == 20000);

    CHECK(pyjudge::supervisor::empty_directory(root.string()));
    CHECK(fs::is_directory(root));
    CHECK(fs::is_empty(root));
    CHECK(slurp(scratch.path() / "sibling") == "keep\n");
    CHECK(slurp(outside / "file") == "keep too\n");
  }

  TEST_CASE("the wipe of a directory that does not exist succeeds") {
    ScratchDir scratch;
    CHECK(pyjudge::supervisor::empty_directory((scratch.path() / "none").string()));
  }
}
