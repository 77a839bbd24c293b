#include <doctest/doctest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/sandbox/seccomp.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using nlohmann::json;

namespace {

const json& profile() {
  static const json p = json::parse(pyjudge_seccomp_profile());
  return p;
}

// The rules that allow `name`, each with its argument conditions.
std::vector<json> allowing(const std::string& name) {
  std::vector<json> rules;
  for (const auto& rule : profile()["syscalls"]) {
    if (rule["action"] != "SCMP_ACT_ALLOW") continue;
    for (const auto& n : rule["names"])
      if (n == name) rules.push_back(rule);
  }
  return rules;
}

constexpr std::uint64_t kNamespaceFlags = 0x00020000ULL     // CLONE_NEWNS
                                          | 0x02000000ULL   // CLONE_NEWCGROUP
                                          | 0x04000000ULL   // CLONE_NEWUTS
                                          | 0x08000000ULL   // CLONE_NEWIPC
                                          | 0x10000000ULL   // CLONE_NEWUSER
                                          | 0x20000000ULL   // CLONE_NEWPID
                                          | 0x40000000ULL;  // CLONE_NEWNET

}  // namespace

TEST_SUITE("runner/sandbox/seccomp") {
  TEST_CASE("anything not allowed fails with EPERM, and only the 64-bit ABI is allowed at all") {
    CHECK(profile()["defaultAction"] == "SCMP_ACT_ERRNO");
    CHECK(profile()["defaultErrnoRet"] == 1);
    CHECK(profile()["architectures"] == json::array({"SCMP_ARCH_X86_64"}));
  }

  TEST_CASE("the calls issue #11 names are denied outright") {
    for (const std::string name : {"io_uring_setup",
                                   "io_uring_enter",
                                   "io_uring_register",
                                   "unshare",
                                   "setns",
                                   "mount",
                                   "umount2",
                                   "pivot_root",
                                   "keyctl",
                                   "add_key",
                                   "request_key",
                                   "bpf",
                                   "perf_event_open",
                                   "userfaultfd",
                                   "ptrace",
                                   "kexec_load",
                                   "kexec_file_load",
                                   "init_module",
                                   "finit_module",
                                   "delete_module",
                                   "open_by_handle_at",
                                   "clone3",
                                   "chroot",
                                   "mq_open",
                                   "process_vm_readv",
                                   "process_vm_writev",
                                   "fsopen",
                                   "move_mount",
                                   "open_tree"}) {
      CAPTURE(name);
      CHECK(allowing(name).empty());
    }
  }

  TEST_CASE("clone3 answers ENOSYS, so that glibc falls back to clone, whose flags a filter can see") {
    bool found = false;
    for (const auto& rule : profile()["syscalls"])
      if (rule["names"] == json::array({"clone3"})) {
        found = true;
        CHECK(rule["action"] == "SCMP_ACT_ERRNO");
        CHECK(rule["errnoRet"] == 38);
      }
    CHECK(found);
  }

  TEST_CASE("clone is allowed only with no namespace flag") {
    const auto rules = allowing("clone");
    REQUIRE(rules.size() == 1);
    REQUIRE(rules[0]["args"].size() == 1);
    const auto& a = rules[0]["args"][0];
    CHECK(a["index"] == 0);
    CHECK(a["op"] == "SCMP_CMP_MASKED_EQ");
    CHECK((a["value"].get<std::uint64_t>() & kNamespaceFlags) == kNamespaceFlags);
    CHECK(a["valueTwo"] == 0);
  }

  TEST_CASE("socket: unix, inet, inet6 and route netlink only (no other netlink, no packet sockets)") {
    std::set<int> domains;
    for (const auto& r : allowing("socket")) {
      REQUIRE_FALSE(r["args"].empty());
      CHECK(r["args"][0]["op"] == "SCMP_CMP_EQ");
      CHECK(r["args"][0]["index"] == 0);
      const int domain = r["args"][0]["value"].get<int>();
      domains.insert(domain);
      if (domain == 16) {  // AF_NETLINK: protocol NETLINK_ROUTE (0) only
        REQUIRE(r["args"].size() == 2);
        CHECK(r["args"][1]["index"] == 2);
        CHECK(r["args"][1]["op"] == "SCMP_CMP_EQ");
        CHECK(r["args"][1]["value"] == 0);
      } else {
        CHECK(r["args"].size() == 1);
      }
    }
    CHECK(domains == std::set<int>{1, 2, 10, 16});
  }

  TEST_CASE("personality: the default personalities and the query, nothing else") {
    std::set<std::uint64_t> values;
    for (const auto& r : allowing("personality")) {
      REQUIRE(r["args"].size() == 1);
      CHECK(r["args"][0]["op"] == "SCMP_CMP_EQ");
      values.insert(r["args"][0]["value"].get<std::uint64_t>());
    }
    CHECK(values == std::set<std::uint64_t>{0x0, 0x8, 0x20000, 0x20008, 0xffffffff});
  }

  TEST_CASE("limits, priority and affinity: the caller's own only, never PID 1's or another process's") {
    // The one rule for each must require pid (or PRIO_PROCESS's who) 0.
    for (const std::string name : {"prlimit64", "sched_setaffinity"}) {
      CAPTURE(name);
      const auto rules = allowing(name);
      REQUIRE(rules.size() == 1);
      REQUIRE(rules[0]["args"].size() == 1);
      CHECK(rules[0]["args"][0] == json({{"index", 0}, {"value", 0}, {"valueTwo", 0}, {"op", "SCMP_CMP_EQ"}}));
    }
    const auto prio = allowing("setpriority");
    REQUIRE(prio.size() == 1);
    REQUIRE(prio[0]["args"].size() == 2);
    CHECK(prio[0]["args"][0] == json({{"index", 0}, {"value", 0}, {"valueTwo", 0}, {"op", "SCMP_CMP_EQ"}}));
    CHECK(prio[0]["args"][1] == json({{"index", 1}, {"value", 0}, {"valueTwo", 0}, {"op", "SCMP_CMP_EQ"}}));
    // Their relatives that act on other processes stay refused outright.
    for (const std::string name : {"sched_setscheduler", "sched_setparam", "sched_setattr", "ioprio_set",
                                   "process_madvise", "migrate_pages", "move_pages", "kcmp"}) {
      CAPTURE(name);
      CHECK(allowing(name).empty());
    }
  }

  TEST_CASE("mknod and mknodat: FIFOs and regular files only, never device nodes") {
    constexpr std::uint64_t kTypeMask = 0170000;
    for (const auto& [name, index] : {std::pair{"mknod", 1}, {"mknodat", 2}}) {
      CAPTURE(std::string(name));
      std::set<std::uint64_t> types;
      for (const auto& r : allowing(name)) {
        REQUIRE(r["args"].size() == 1);
        CHECK(r["args"][0]["index"] == index);
        CHECK(r["args"][0]["op"] == "SCMP_CMP_MASKED_EQ");
        CHECK(r["args"][0]["value"] == kTypeMask);
        types.insert(r["args"][0]["valueTwo"].get<std::uint64_t>());
      }
      // 0 and S_IFREG: a regular file; S_IFIFO: a named pipe. Not S_IFCHR
      // (020000), S_IFBLK (060000) or S_IFSOCK (0140000).
      CHECK(types == std::set<std::uint64_t>{0, 0100000, 010000});
    }
  }

  TEST_CASE("what CPython and the supervisor need is allowed without conditions") {
    for (const char* name :
         {"read",         "write",      "openat",    "execve", "wait4",     "futex",     "mmap",
          "rt_sigaction", "pipe2",      "signalfd4", "kill",   "setrlimit", "getrusage", "socketpair",
          "epoll_wait",   "getdents64", "unlinkat",  "shmctl", "semctl",    "msgctl",    "exit_group"}) {
      CAPTURE(name);
      const auto rules = allowing(name);
      REQUIRE(rules.size() == 1);
      CHECK_FALSE(rules[0].contains("args"));
    }
  }

  TEST_CASE("under gVisor clone3 is allowed (the Sentry answers, and would answer EPERM); nothing else changes") {
    CHECK(is_gvisor("runsc"));
    CHECK(is_gvisor("runsc-kvm"));
    CHECK(is_gvisor("gvisor"));
    CHECK_FALSE(is_gvisor("runc"));
    CHECK_FALSE(is_gvisor(""));
    auto g = json::parse(pyjudge_seccomp_profile(true));
    auto p = profile();
    std::size_t differ = 0;
    REQUIRE(g["syscalls"].size() == p["syscalls"].size());
    for (std::size_t i = 0; i < p["syscalls"].size(); ++i) {
      if (g["syscalls"][i] == p["syscalls"][i]) continue;
      ++differ;
      CHECK(g["syscalls"][i]["names"] == json::array({"clone3"}));
      CHECK(g["syscalls"][i]["action"] == "SCMP_ACT_ALLOW");
    }
    CHECK(differ == 1);
    CHECK(g["defaultAction"] == p["defaultAction"]);
    CHECK(security_opts(Seccomp::Pyjudge, "runsc")[1] == "seccomp=" + pyjudge_seccomp_profile(true));
  }

  TEST_CASE("modes: the profile travels inline; 'unconfined' is not a mode") {
    CHECK(seccomp_from_string("pyjudge") == Seccomp::Pyjudge);
    CHECK(seccomp_from_string("default") == Seccomp::EngineDefault);
    CHECK_FALSE(seccomp_from_string("unconfined").has_value());
    const auto opts = security_opts(Seccomp::Pyjudge);
    REQUIRE(opts.size() == 2);
    CHECK(opts[0] == "no-new-privileges");
    CHECK(opts[1].rfind("seccomp={", 0) == 0);
    CHECK(security_opts(Seccomp::EngineDefault) == std::vector<std::string>{"no-new-privileges"});
  }
}
