// The supervisor's pure parts, run on the host: the cgroup counters on v1
// and v2 layouts (fixture folders), and the signed launch-error lines.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cgroup.h"
#include "launch.h"
#include "record.h"
#include "supervisor_protocol.h"
#include "temp_dir.h"

namespace fs = std::filesystem;

namespace {

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

}  // namespace

TEST_SUITE("supervisor") {
  TEST_CASE("cgroup v1 counters") {
    pyjudge::testing::TempDir d("cg1");
    put(d.path() / "cpuacct/cpuacct.usage", "123456789\n");
    put(d.path() / "memory/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    const auto c = supervisor::read_cgroup(d.path().string());
    CHECK(std::string(c.version) == "v1");
    CHECK(c.cpu_ns == 123456789);
    CHECK(c.oom_kills == 2);
    CHECK(supervisor::read_cgroup_cpu_ns(d.path().string()) == 123456789);
  }

  TEST_CASE("cgroup v2 counters") {
    pyjudge::testing::TempDir d("cg2");
    put(d.path() / "cgroup.controllers", "cpu memory pids\n");
    put(d.path() / "cpu.stat", "usage_usec 4500\nuser_usec 4000\nsystem_usec 500\n");
    put(d.path() / "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
    const auto c = supervisor::read_cgroup(d.path().string());
    CHECK(std::string(c.version) == "v2");
    CHECK(c.cpu_ns == 4'500'000);
    CHECK(c.oom_kills == 1);
    CHECK(supervisor::read_cgroup_cpu_ns(d.path().string()) == 4'500'000);
  }

  TEST_CASE("no cgroupfs (gVisor, or none mounted): nothing is made up") {
    pyjudge::testing::TempDir d("cg0");
    const auto c = supervisor::read_cgroup(d.path().string());
    CHECK(std::string(c.version) == "none");
    CHECK_FALSE(c.cpu_ns);
    CHECK_FALSE(c.oom_kills);
  }

  TEST_CASE("a launch error counts only when signed with the run's nonce") {
    const std::string nonce = "0123456789abcdef";
    CHECK(supervisor::launch_error(nonce + " python3 2\n", nonce) ==
          "cannot execute python3: No such file or directory");
    CHECK(supervisor::launch_error(nonce + " timeout 13\n", nonce).find("cannot execute timeout") == 0);
    CHECK(supervisor::launch_error("", nonce).empty());
    // Forged by the script (it cannot know the nonce), or garbled.
    CHECK(supervisor::launch_error("ffffffffffffffff python3 2\n", nonce).empty());
    CHECK(supervisor::launch_error(nonce + " rm 2\n", nonce).empty());
    CHECK(supervisor::launch_error(nonce + "\n", nonce).empty());
    // A forged line before the real one does not hide it.
    CHECK(supervisor::launch_error("junk junk 1\n" + nonce + " python3 2\n", nonce).find("python3") !=
          std::string::npos);
  }

  TEST_CASE("the supervisor's record is what the host parses") {
    const std::string nonce = "0123456789abcdef";
    supervisor::RunRecord r;
    r.signal = 9;
    r.wall_ns = 1'500'000'000;
    r.cpu_ns = 1'200'000'000;
    r.memory_peak = 8 << 20;
    r.oom_kills = 0;
    r.cause = "cpu";
    r.error = "a \"quoted\"\nline\x01";
    r.cgroup = "v2";
    r.reusable = true;
    const auto back = pyjudge::parse_record(supervisor::format_record(nonce, r), nonce);
    REQUIRE(back);
    CHECK_FALSE(back->rc);
    CHECK(back->signal == 9);
    CHECK(back->wall_ns == 1'500'000'000);
    CHECK(back->cpu_ns == 1'200'000'000);
    CHECK(back->memory_peak == 8 << 20);
    CHECK(back->oom_kills == 0);
    CHECK(back->cause == "cpu");
    CHECK(back->error == r.error);
    CHECK(back->reusable);
    CHECK_FALSE(pyjudge::parse_record(supervisor::format_record(nonce, r), "ffffffffffffffff"));
  }
}
