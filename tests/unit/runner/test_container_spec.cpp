#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/sandbox/container_spec.h"
#include "runner/shared/gvisor_memory.h"

using namespace pyjudge;
using namespace pyjudge::runner;

namespace {

Limits sample_limits() {
  Limits l;
  l.memory_bytes = 128LL << 20;
  l.cpus = 1.5;
  l.pids = 40;
  l.tmp_bytes = 32LL << 20;
  return l;
}

const std::map<std::string, std::string> kLabels = {{"org.pyjudge", "1"}, {"org.pyjudge.job", "j1"}};

nlohmann::json sample_spec() { return container_spec("pyjudge-runner:test", sample_limits(), kLabels); }

}  // namespace

TEST_SUITE("runner/sandbox/container_spec") {
  TEST_CASE("image and command") {
    const auto spec = sample_spec();
    CHECK(spec.at("Image") == "pyjudge-runner:test");
    const auto& cmd = spec.at("Cmd");
    REQUIRE(cmd.is_array());
    CHECK(cmd.back() == std::string(protocol::kSupervisorPath));
    CHECK(cmd.size() == 1);
    CHECK(spec.at("Entrypoint").is_null());
  }

  TEST_CASE("no network") {
    const auto spec = sample_spec();
    CHECK(spec.at("HostConfig").at("NetworkMode") == "none");
    CHECK(spec.at("NetworkDisabled") == true);
  }

  TEST_CASE("memory, cpu and pids caps come from the limits") {
    const Limits l = sample_limits();
    const auto host = sample_spec().at("HostConfig");
    CHECK(host.at("Memory").get<std::int64_t>() == l.memory_bytes);
    CHECK(host.at("MemorySwap").get<std::int64_t>() == l.memory_bytes);
    CHECK(host.at("NanoCpus").get<std::int64_t>() == 1'500'000'000);
    CHECK(host.at("PidsLimit").get<std::int64_t>() == 40);

    SUBCASE("with other values") {
      Limits other;
      other.memory_bytes = 1LL << 30;
      other.cpus = 0.25;
      other.pids = 8;
      const auto h = container_spec("img", other, {}).at("HostConfig");
      CHECK(h.at("Memory").get<std::int64_t>() == 1LL << 30);
      CHECK(h.at("MemorySwap").get<std::int64_t>() == 1LL << 30);
      CHECK(h.at("NanoCpus").get<std::int64_t>() == 250'000'000);
      CHECK(h.at("PidsLimit").get<std::int64_t>() == 8);
    }
  }

  TEST_CASE("read-only root with a small private /tmp and /dev/shm, both with an inode cap") {
    const auto host = sample_spec().at("HostConfig");
    CHECK(host.at("ReadonlyRootfs") == true);
    const auto& tmpfs = host.at("Tmpfs");
    for (const char* dir : {"/tmp", "/dev/shm"}) {
      CAPTURE(std::string(dir));
      REQUIRE(tmpfs.contains(dir));
      const std::string opts = tmpfs.at(dir).get<std::string>();
      CHECK(opts.find("size=" + std::to_string(32LL << 20)) != std::string::npos);
      CHECK(opts.find("nr_inodes=") != std::string::npos);
      CHECK(opts.find("nosuid") != std::string::npos);
      CHECK(opts.find("nodev") != std::string::npos);
    }
    CHECK_FALSE(host.contains("ShmSize"));
  }

  TEST_CASE("privileges are dropped") {
    const auto spec = sample_spec();
    const auto& host = spec.at("HostConfig");
    CHECK(host.at("CapDrop") == nlohmann::json::array({"ALL"}));
    CHECK_FALSE(host.contains("CapAdd"));
    const auto& sec = host.at("SecurityOpt");
    REQUIRE(sec.is_array());
    bool nnp = false;
    for (const auto& o : sec)
      if (o == "no-new-privileges") nnp = true;
    CHECK(nnp);
    CHECK(host.at("Privileged") == false);
    // The init is pyjudge's supervisor itself: the command runs it as PID 1.
    CHECK(host.at("Init") == false);
    CHECK(spec.at("Cmd").back() == std::string(protocol::kSupervisorPath));
    CHECK(host.at("LogConfig").at("Type") == "none");
  }

  TEST_CASE("a zygote container starts its supervisor as root, --zygote, with three capabilities to give up") {
    const auto spec = container_spec("img", sample_limits(), {}, Seccomp::Pyjudge, ContainerRole::ZygoteScript);
    const auto& host = spec.at("HostConfig");
    CHECK(spec.at("User") == "0:0");
    CHECK(spec.at("Cmd") == nlohmann::json::array({protocol::kSupervisorPath, protocol::kZygoteArg}));
    CHECK(host.at("CapDrop") == nlohmann::json::array({"ALL"}));
    CHECK(host.at("CapAdd") == nlohmann::json::array({"SETUID", "SETGID", "SETPCAP"}));
    // The same caps as a script container otherwise: the zygote shares the script's.
    CHECK(host.at("Memory") == sample_limits().memory_bytes);
    CHECK(host.at("SecurityOpt")[0] == "no-new-privileges");
    const auto plain = sample_spec();
    CHECK(plain.at("User") == kSandboxUser);
    CHECK(plain.at("Cmd") == nlohmann::json::array({protocol::kSupervisorPath}));
  }

  TEST_CASE("seccomp: pyjudge's profile inline by default, the engine's on request; the runtime when one is named") {
    const auto host = sample_spec().at("HostConfig");
    const auto& sec = host.at("SecurityOpt");
    REQUIRE(sec.size() == 2);
    CHECK(sec[1] == "seccomp=" + pyjudge_seccomp_profile());
    CHECK_FALSE(host.contains("Runtime"));
    Limits gv = sample_limits();
    gv.runtime = "runsc";
    const auto g = container_spec("img", gv, {}, Seccomp::Pyjudge).at("HostConfig");
    CHECK(g.at("Runtime") == "runsc");
    CHECK(g.at("PidsLimit") == gv.pids + kGvisorPidsHeadroom);
    CHECK(host.at("PidsLimit") == sample_limits().pids);
    // The Sentry's memory headroom; the supervisor enforces the script's cap.
    CHECK(g.at("Memory") == gv.memory_bytes + kGvisorMemoryHeadroomBytes);
    CHECK(g.at("MemorySwap") == gv.memory_bytes + kGvisorMemoryHeadroomBytes);
    CHECK(host.at("Memory") == sample_limits().memory_bytes);
    // The pids cap as RLIMIT_NPROC, which gVisor counts within the sandbox;
    // never under runc, where it would count the uid across the host.
    const auto has_nproc = [](const nlohmann::json& h) {
      for (const auto& u : h.at("Ulimits"))
        if (u.at("Name") == "nproc") return u.at("Soft") == u.at("Hard") ? u.at("Soft").get<std::int64_t>() : -1;
      return std::int64_t{0};
    };
    CHECK(has_nproc(g) == gv.pids);
    CHECK(has_nproc(host) == 0);
    CHECK(g.at("SecurityOpt")[1] == "seccomp=" + pyjudge_seccomp_profile(true));
    const auto d = container_spec("img", sample_limits(), {}, Seccomp::EngineDefault).at("HostConfig");
    CHECK(d.at("SecurityOpt") == nlohmann::json::array({"no-new-privileges"}));
  }

  TEST_CASE("no host paths are mounted") {
    const auto host = sample_spec().at("HostConfig");
    if (host.contains("Binds")) CHECK(host.at("Binds").empty());
    if (host.contains("Mounts")) CHECK(host.at("Mounts").empty());
    CHECK_FALSE(host.contains("VolumesFrom"));
    CHECK_FALSE(host.contains("Devices"));
    CHECK_FALSE(sample_spec().contains("Volumes"));
  }

  TEST_CASE("runs as the unprivileged sandbox user") {
    const auto spec = sample_spec();
    REQUIRE(spec.at("User").is_string());
    const std::string user = spec.at("User").get<std::string>();
    CHECK(user != "");
    CHECK(user != "0");
    CHECK(user != "root");
    CHECK(user.rfind("0:", 0) != 0);
    CHECK(user.rfind("root:", 0) != 0);
    CHECK(user.rfind("10001", 0) == 0);
    CHECK(user == kSandboxUser);
  }

  TEST_CASE("labels passed in are set on the container") {
    const auto labels = sample_spec().at("Labels");
    REQUIRE(labels.is_object());
    for (const auto& [k, v] : kLabels) {
      CAPTURE(k);
      REQUIRE(labels.contains(k));
      CHECK(labels.at(k) == v);
    }
    CHECK(labels.size() == kLabels.size());
  }

  TEST_CASE("stdin is attached once and there is no tty") {
    const auto spec = sample_spec();
    CHECK(spec.at("StdinOnce") == true);
    CHECK(spec.at("OpenStdin") == true);
    CHECK(spec.at("AttachStdin") == true);
    CHECK(spec.at("Tty") == false);
  }

  TEST_CASE("no variable from the host's environment reaches the container") {
    REQUIRE(::setenv("PYJUDGE_SECRET", "hunter2-secret-value", 1) == 0);
    const auto spec = sample_spec();
    ::unsetenv("PYJUDGE_SECRET");
    const auto& env = spec.at("Env");
    REQUIRE(env.is_array());
    CHECK_FALSE(env.empty());
    for (const auto& e : env) {
      const std::string s = e.get<std::string>();
      CAPTURE(s);
      CHECK(s.find("PYJUDGE_SECRET") == std::string::npos);
      CHECK(s.find("hunter2-secret-value") == std::string::npos);
    }
    CHECK(spec.dump().find("hunter2-secret-value") == std::string::npos);
  }
}
