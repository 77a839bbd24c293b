// Integration tests of the pyjudge command line: exit codes, bad input,
// interrupts and cleanup, against the real engine.
#include <doctest/doctest.h>

#include <algorithm>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "runner/sandbox/container_spec.h"
#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;

namespace {

std::string out_dir(const std::string& name) { return (engine_env().scratch / "cli" / name).string(); }

int all_our_containers() { return count_containers({}); }

bool one_line(const std::string& s) { return !s.empty() && s.find('\n') == s.size() - 1; }

// Waits until a container labelled with job `id` exists.
bool wait_for_container(const std::string& id, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (count_containers({{kLabelJob, id}}) > 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A container that claims to belong to a pyjudge process that is dead.
std::string make_orphan(const std::string& job) {
  auto labels = Session::current().labels(job);
  labels[kLabelPid] = "4194304";  // above pid_max: no such process
  labels[kLabelStart] = "1";
  labels[kLabelSession] = "deadbeef0000";
  auto id = engine_env().engine.create_container("pyjudge-orphan-" + job,
                                                 container_spec(engine_env().image, Limits{}, labels));
  REQUIRE_MESSAGE(bool(id), (id ? "" : id.error().message));
  return *id;
}

}  // namespace

TEST_SUITE("engine/cli") {
  TEST_CASE("version and help") {
    auto v = run_pyjudge({"--version"});
    CHECK(v.exit_code == 0);
    CHECK(v.out.rfind("pyjudge ", 0) == 0);
    auto h = run_pyjudge({"run", "--help"});
    CHECK(h.exit_code == 0);
    CHECK(h.out.find("--time-limit") != std::string::npos);
    CHECK(h.out.find("--memory") != std::string::npos);
  }

  TEST_CASE("bad input exits 2 with one line, before any container exists") {
    const auto hello = write_file("cli-hello.py", "print('hi')\n").string();
    const auto folder = (engine_env().scratch / "inputs").string();
    const auto jobs = write_file("cli-jobs.jsonl", R"({"id": "a", "script": ")" + hello + "\"}\n").string();
    const int before = all_our_containers();
    const std::vector<std::vector<std::string>> bad = {
        {"run", "--id", "../escape", "--script", hello},
        {"run", "--id", "a/b", "--script", hello},
        {"run", "--id", std::string(65, 'a'), "--script", hello},
        {"run", "--id", "x", "--script", "/nonexistent/script.py"},
        {"run", "--id", "x", "--script", folder},
        {"run", "--id", "x", "--script", hello, "--stdin", "/nonexistent/in.txt"},
        {"run", "--id", "x", "--script", hello, "--stdin", folder},
        {"run", "--id", "x", "--script", hello, "--time-limit", "-1"},
        {"run", "--id", "x", "--script", hello, "--time-limit", "abc"},
        {"run", "--id", "x", "--script", hello, "--memory", "4m"},
        {"run", "--id", "x", "--script", hello, "--memory", "lots"},
        {"run", "--id", "x", "--script", hello, "--pids", "2.5"},
        {"run", "--id", "x", "--script", hello, "--cpus", "0"},
        {"run", "--id", "x", "--script", hello, "--output-limit", "-5"},
        {"run"},
        {"run", "--id", "x", "--script", hello, "--cpu-time-limit", "-1"},
        {"run", "--id", "x", "--script", hello, "--cpu-time-limit", "soon"},
        {"run", "--id", "x", "--script", hello, "--no-such-option"},
        {"run", "--id", "x", "--script", hello, "--seccomp", "unconfined"},
        {"run", "--id", "x", "--script", hello, "--seccomp", "none"},
        {"run", "--id", "x", "--script", hello, "--runtime", "no-such-runtime"},
        {"run", "--id", "x", "--script", hello, "--runtime", "bad name"},
        {"frobnicate"},
        // The zygote, like the image, is the workers' choice on the farm.
        {"batch", jobs, "--queue", "redis://127.0.0.1:1", "--no-zygote"},
    };
    for (const auto& args : bad) {
      std::string shown;
      for (const auto& a : args) shown += a + " ";
      CAPTURE(shown);
      auto r = run_pyjudge(args, {{"PYJUDGE_UNUSED", "1"}});
      CHECK(r.exit_code == 2);
      CHECK_MESSAGE(one_line(r.err), "stderr: " << r.err);
      CHECK(r.err.rfind("pyjudge: ", 0) == 0);
    }
    CHECK(all_our_containers() == before);
  }

  TEST_CASE("an unavailable engine or image exits 3 and says what to run") {
    const auto hello = write_file("cli-hello.py", "print('hi')\n").string();
    auto no_engine = run_pyjudge({"run", "--id", "x", "--script", hello, "--out", out_dir("x")},
                                 {{"DOCKER_HOST", "unix:///nonexistent/docker.sock"}});
    CHECK(no_engine.exit_code == 3);
    CHECK(no_engine.err.find("/nonexistent/docker.sock") != std::string::npos);
    CHECK(no_engine.err.find("setup.sh") != std::string::npos);

    auto no_image =
        run_pyjudge({"run", "--id", "x", "--script", hello, "--image", "pyjudge-no-such-image", "--out", out_dir("x")});
    CHECK(no_image.exit_code == 3);
    CHECK(no_image.err.find("pyjudge-no-such-image") != std::string::npos);
    CHECK(no_image.err.find("build-image.sh") != std::string::npos);

    auto bad_host = run_pyjudge({"run", "--id", "x", "--script", hello}, {{"DOCKER_HOST", "ssh://somewhere"}});
    CHECK(bad_host.exit_code == 2);
  }

  TEST_CASE("exit codes follow the status: 0, 124, 255") {
    const auto ok = write_file("cli-ok.py", "print(6 * 7)\n").string();
    auto r = run_pyjudge({"run", "--id", "cli-ok", "--script", ok, "--out", out_dir("codes"), "--json"});
    CHECK(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["verdict"] == "OK");
    CHECK(j["status"] == 0);
    CHECK(slurp(out_dir("codes") + "/cli-ok/stdout") == "42\n");

    const auto slow = write_file("cli-slow.py", "import time\ntime.sleep(60)\n").string();
    CHECK(run_pyjudge({"run", "--id", "cli-slow", "--script", slow, "--time-limit", "0.5", "--out", out_dir("codes")})
              .exit_code == 124);

    const auto bad = write_file("cli-bad.py", "raise SystemExit(5)\n").string();
    auto b = run_pyjudge({"run", "--id", "cli-bad", "--script", bad, "--out", out_dir("codes")});
    CHECK(b.exit_code == 255);
    CHECK(b.out.find("RE") != std::string::npos);
  }

  TEST_CASE("an interrupt mid-job exits 128+signal and leaves no container and no result") {
    const auto slow =
        write_file("cli-interrupt.py", "import time\nprint('started', flush=True)\ntime.sleep(60)\n").string();
    for (int sig : {SIGINT, SIGTERM}) {
      CAPTURE(sig);
      const std::string id = "cli-interrupt-" + std::to_string(sig);
      const auto dir = out_dir(id);
      std::filesystem::create_directories(dir);
      const pid_t pid = spawn_pyjudge({"run", "--id", id, "--script", slow, "--time-limit", "30", "--out", dir}, dir);
      REQUIRE(wait_for_container(id, 20));
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      const auto t0 = std::chrono::steady_clock::now();
      ::kill(pid, sig);
      CHECK(wait_exit(pid) == 128 + sig);
      CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
      CHECK(count_containers({{kLabelJob, id}}) == 0);
      CHECK_FALSE(std::filesystem::exists(dir + "/" + id + "/result.json"));
      int leftovers = 0;
      if (std::filesystem::exists(dir + "/" + id))
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir + "/" + id)) ++leftovers;
      CHECK(leftovers == 0);
    }
  }

  TEST_CASE("after kill -9 of pyjudge its container ends by itself, and cleanup removes it") {
    const auto slow = write_file("cli-kill9.py", "import time\ntime.sleep(60)\n").string();
    const std::string id = "cli-kill9";
    const auto dir = out_dir(id);
    std::filesystem::create_directories(dir);
    const pid_t pid = spawn_pyjudge({"run", "--id", id, "--script", slow, "--time-limit", "2", "--out", dir}, dir);
    REQUIRE(wait_for_container(id, 20));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(pid, SIGKILL);
    CHECK(wait_exit(pid) == 128 + SIGKILL);
    auto list = engine_env().engine.list_containers({{kLabelJob, id}});
    REQUIRE(bool(list));
    REQUIRE(list->size() == 1);
    const std::string cid = (*list)[0]["Id"];
    // Time limit 2 s + grace 1 s, and a little for the engine.
    bool running = true;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
    while (running && std::chrono::steady_clock::now() < until) {
      auto j = engine_env().engine.inspect_container(cid);
      REQUIRE(bool(j));
      running = (*j)["State"]["Running"].get<bool>();
      if (running) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK_FALSE(running);
    CHECK(run_pyjudge({"cleanup"}).exit_code == 0);
    CHECK(count_containers({{kLabelJob, id}}) == 0);
  }

  TEST_CASE("doctor reports a healthy engine") {
    auto r = run_pyjudge({"doctor", "--json"});
    CHECK(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["ok"] == true);
    CHECK(j["limits_enforced"]["memory"] == true);
    CHECK(j["limits_enforced"]["pids"] == true);
    CHECK(j["image"]["ok"] == true);
    // The runtimes and the seccomp profile in use.
    CHECK(j["runtimes"].is_array());
    CHECK(std::find(j["runtimes"].begin(), j["runtimes"].end(), "runc") != j["runtimes"].end());
    CHECK(j["seccomp"]["profile"] == "pyjudge");
    CHECK(j["seccomp"]["engine_supports"] == true);
    CHECK(nlohmann::json::parse(run_pyjudge({"doctor", "--json", "--seccomp", "default"}).out)["seccomp"]["profile"] ==
          "default");
    const auto unknown = run_pyjudge({"run", "--id", "x", "--script", write_file("cli-rt.py", "print(1)\n").string(),
                                      "--runtime", "no-such-runtime", "--out", out_dir("rt")});
    INFO("stderr: ", unknown.err);
    CHECK(unknown.exit_code == 2);
    // The engine lists its runtimes in its own order (runsc and containerd's shims may come with runc).
    const auto listed = unknown.err.find("runtime 'no-such-runtime' is not registered with the engine (it has ");
    REQUIRE(listed != std::string::npos);
    const auto list = unknown.err.substr(listed, unknown.err.find(')', listed) - listed);
    CHECK(list.find("runc") != std::string::npos);
    auto bad = run_pyjudge({"doctor"}, {{"DOCKER_HOST", "unix:///nonexistent/docker.sock"}});
    CHECK(bad.exit_code == 3);
  }

  TEST_CASE("containers of dead pyjudge processes are reaped") {
    SUBCASE("by pyjudge cleanup, with temp files") {
      make_orphan("orphan-a");
      const auto dir = out_dir("cleanup");
      std::filesystem::create_directories(dir + "/job");
      std::ofstream(dir + "/job/.stdout.tmp-0123abcd") << "partial";
      std::ofstream(dir + "/job/stdout") << "complete";
      REQUIRE(count_containers({{kLabelJob, "orphan-a"}}) == 1);
      auto r = run_pyjudge({"cleanup", "--out", dir});
      CHECK(r.exit_code == 0);
      CHECK(count_containers({{kLabelJob, "orphan-a"}}) == 0);
      CHECK_FALSE(std::filesystem::exists(dir + "/job/.stdout.tmp-0123abcd"));
      CHECK(std::filesystem::exists(dir + "/job/stdout"));
    }
    SUBCASE("by the next pyjudge run") {
      make_orphan("orphan-b");
      const auto ok = write_file("cli-ok.py", "print(6 * 7)\n").string();
      CHECK(run_pyjudge({"run", "--id", "after-orphan", "--script", ok, "--out", out_dir("reap")}).exit_code == 0);
      CHECK(count_containers({{kLabelJob, "orphan-b"}}) == 0);
    }
  }

  TEST_CASE("run SCRIPT [STDIN]: positional arguments, and the id defaults to the script's name") {
    const auto dir = std::filesystem::path(out_dir("positional"));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "my sum!.py") << "print(sum(map(int, input().split())))\n";
    std::ofstream(dir / "in.txt") << "2 3\n";
    auto r = run_pyjudge(
        {"run", (dir / "my sum!.py").string(), (dir / "in.txt").string(), "--out", (dir / "out").string(), "--json"});
    CHECK(r.exit_code == 0);
    const auto res = nlohmann::json::parse(r.out);
    CHECK(res["id"] == "my_sum_");
    CHECK(slurp(dir / "out" / "my_sum_" / "stdout") == "5\n");
    r = run_pyjudge({"run", (dir / "my sum!.py").string(), (dir / "in.txt").string(), "--id", "named", "--out",
                     (dir / "out").string()});
    CHECK(r.exit_code == 0);
    CHECK(slurp(dir / "out" / "named" / "stdout") == "5\n");
    r = run_pyjudge({"run", (dir / "my sum!.py").string(), (dir / "in.txt").string(), "extra"});
    CHECK(r.exit_code == 2);
  }
}
