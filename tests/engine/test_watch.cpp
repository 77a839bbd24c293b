// Integration tests of `pyjudge watch`: arrivals of every kind judged exactly
// once, kill -9 and restart losing nothing, grading mode, --once exit codes.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path spool_dir(const std::string& name) {
  auto d = engine_env().scratch / "watch" / name;
  fs::remove_all(d);
  fs::create_directories(d / "inbox");
  return d;
}

// Writes with a temp name and renames into place, as writers are told to.
void drop(const fs::path& spool, const std::string& name, const std::string& content) {
  const auto tmp = spool / "inbox" / ("." + name + ".part");
  std::ofstream(tmp, std::ios::binary) << content;
  fs::rename(tmp, spool / "inbox" / name);
}

int count_results(const fs::path& spool) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(spool / "results", ec))
    if (e.path().filename().string()[0] != '.') ++n;
  return n;
}

int count_files(const fs::path& dir) {
  int n = 0;
  std::error_code ec;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir, ec)) ++n;
  return n;
}

bool wait_until(const std::function<bool()>& cond, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return cond();
}

json result_of(const fs::path& spool, const std::string& id) {
  return json::parse(slurp(spool / "results" / id / "result.json"));
}

int claims_in_log(const std::string& log, const std::string& id) {
  const std::regex re("\\b" + std::regex_replace(id, std::regex("\\."), "\\.") + ": claimed");
  return static_cast<int>(std::distance(std::sregex_iterator(log.begin(), log.end(), re), std::sregex_iterator()));
}

// Everything of a finished spool: no claims left, no temp results, each
// input in done/ exactly once.
void check_settled(const fs::path& spool) {
  CHECK(count_files(spool / "work") == 0);
  CHECK(count_files(spool / "inbox") == 0);
  for (const auto& e : fs::directory_iterator(spool / "results")) CHECK(e.path().filename().string()[0] != '.');
  for (const auto& e : fs::directory_iterator(spool / "done")) {
    const std::string name = e.path().filename().string();
    CHECK_MESSAGE(std::regex_match(name, std::regex(R"([^.]+\.(py|in|json))")), "a second copy in done/: " << name);
  }
}

}  // namespace

TEST_SUITE("engine/watch") {
  TEST_CASE("40 arrivals of every kind: each valid one judged once, each invalid one rejected with a reason") {
    const auto spool = spool_dir("arrivals");
    const auto logdir = engine_env().scratch / "watch" / "arrivals-log";
    fs::create_directories(logdir);
    const pid_t pid = spawn_pyjudge({"watch", spool.string(), "--jobs", "4", "--settle", "300"}, logdir.string());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    std::map<std::string, std::string> expected;  // id -> stdout
    for (int i = 0; i < 15; ++i) {                // renamed into place
      const std::string id = "renamed-" + std::to_string(i);
      drop(spool, id + ".py", "print('" + id + "')\n");
      expected[id] = id + "\n";
    }
    for (int i = 0; i < 10; ++i) {  // written in place in one go
      const std::string id = "direct-" + std::to_string(i);
      std::ofstream(spool / "inbox" / (id + ".py")) << "print('" + id + "')\n";
      expected[id] = id + "\n";
    }
    std::vector<std::thread> slow;
    for (int i = 0; i < 5; ++i) {  // written slowly, in pieces, over a second
      const std::string id = "slow-" + std::to_string(i);
      expected[id] = "slowly written\n";
      slow.emplace_back([&spool, id] {
        std::ofstream f(spool / "inbox" / (id + ".py"));
        for (const char* piece : {"import sys\n", "msg = 'slowly '\n", "msg += 'written'\n", "print(msg)\n"}) {
          f << piece << std::flush;
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
      });
    }
    for (int i = 0; i < 5; ++i) {  // the stdin companion arrives after the script
      const std::string id = "late-in-" + std::to_string(i);
      drop(spool, id + ".py", "print(input()[::-1])\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      drop(spool, id + ".in", "abc" + std::to_string(i) + "\n");
      expected[id] = std::to_string(i) + "cba\n";
    }
    for (auto& t : slow) t.join();
    // Five invalid ones.
    drop(spool, "bad name.py", "print(1)\n");
    drop(spool, "notes.txt", "hello\n");
    drop(spool, "badlimits.py", "print(1)\n");
    drop(spool, "badlimits.json", "{\"memory\": \"lots\"}");
    drop(spool, "badjson.py", "print(1)\n");
    drop(spool, "badjson.json", "{not json");
    drop(spool, "nospec.json", "{\"stdin\": \"x\"}");
    const std::set<std::string> rejected_ids = {"bad name.py", "notes.txt", "badlimits", "badjson", "nospec"};
    // Ignored while being written.
    std::ofstream(spool / "inbox" / "ignored.py.tmp") << "print(1)\n";
    std::ofstream(spool / "inbox" / ".hidden.py") << "print(1)\n";

    REQUIRE(wait_until(
        [&] {
          return count_results(spool) >= static_cast<int>(expected.size()) &&
                 count_files(spool / "rejected") >= 2 * static_cast<int>(rejected_ids.size());
        },
        180));
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // anything extra would show now
    fs::remove(spool / "inbox" / "ignored.py.tmp");
    fs::remove(spool / "inbox" / ".hidden.py");
    ::kill(pid, SIGTERM);
    CHECK(wait_exit(pid) == 143);

    const std::string log = slurp(logdir / "cli.err");
    CHECK(count_results(spool) == static_cast<int>(expected.size()));
    for (const auto& [id, out] : expected) {
      CAPTURE(id);
      const auto r = result_of(spool, id);
      CHECK(r["verdict"] == "OK");
      CHECK(slurp(spool / "results" / id / "stdout") == out);
      CHECK(claims_in_log(log, id) == 1);
    }
    for (const auto& name : rejected_ids) {
      CAPTURE(name);
      CHECK(fs::exists(spool / "rejected" / (name + ".reason.txt")));
      CHECK_FALSE(slurp(spool / "rejected" / (name + ".reason.txt")).empty());
    }
    CHECK(slurp(spool / "rejected" / "badlimits.reason.txt").find("memory") != std::string::npos);
    CHECK(slurp(spool / "rejected" / "badjson.reason.txt").find("bad JSON") != std::string::npos);
    CHECK_FALSE(fs::exists(spool / "results" / "ignored"));
    CHECK_FALSE(fs::exists(spool / "results" / ".hidden"));
    check_settled(spool);
    CHECK(count_containers({}) == 0);

    // A resubmission of a judged ID is rejected, not judged twice.
    drop(spool, "renamed-0.py", "print('again')\n");
    auto once = run_pyjudge({"watch", spool.string(), "--once"});
    CHECK(once.exit_code == 2);
    CHECK(slurp(spool / "results" / "renamed-0" / "stdout") == "renamed-0\n");
    CHECK(slurp(spool / "rejected" / "renamed-0.py.reason.txt").find("already judged") != std::string::npos);
  }

  TEST_CASE("kill -9 in the middle of a 30-job stream, then restart: every job has exactly one result") {
    const auto spool = spool_dir("crash");
    for (int i = 0; i < 30; ++i) {
      const std::string id = "job-" + std::to_string(i);
      drop(spool, id + ".py", "import time\ntime.sleep(0.3)\nprint('" + id + "')\n");
    }
    const auto log1 = engine_env().scratch / "watch" / "crash-log1";
    const auto log2 = engine_env().scratch / "watch" / "crash-log2";
    fs::create_directories(log1);
    fs::create_directories(log2);
    const pid_t first = spawn_pyjudge({"watch", spool.string(), "--jobs", "3", "--settle", "100"}, log1.string());
    REQUIRE(wait_until([&] { return count_results(spool) >= 6; }, 90));
    ::kill(first, SIGKILL);
    CHECK(wait_exit(first) == 128 + SIGKILL);
    std::map<std::string, std::string> before;
    for (const auto& e : fs::directory_iterator(spool / "results")) {
      const std::string id = e.path().filename().string();
      if (id[0] != '.') before[id] = result_of(spool, id)["started_at"];
    }
    CHECK(before.size() < 30);

    const pid_t second = spawn_pyjudge({"watch", spool.string(), "--jobs", "3", "--settle", "100"}, log2.string());
    REQUIRE(wait_until([&] { return count_results(spool) == 30 && count_files(spool / "work") == 0; }, 120));
    ::kill(second, SIGINT);
    CHECK(wait_exit(second) == 130);
    for (int i = 0; i < 30; ++i) {
      const std::string id = "job-" + std::to_string(i);
      CAPTURE(id);
      const auto r = result_of(spool, id);
      CHECK(r["verdict"] == "OK");
      CHECK(slurp(spool / "results" / id / "stdout") == id + "\n");
      if (before.count(id)) CHECK(r["started_at"] == before[id]);  // not judged again
    }
    const std::string log = slurp(log2 / "cli.err");
    for (const auto& [id, t] : before) CHECK_MESSAGE(claims_in_log(log, id) == 0, id);
    check_settled(spool);
    CHECK(count_containers({}) == 0);
  }

  TEST_CASE("grading mode survives kill -9 and restart too") {
    const auto spool = spool_dir("grade-crash");
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "sum";
    const json expected = json::parse(slurp(problem / "expected.json"));
    for (int round = 0; round < 3; ++round)
      for (const auto& [name, verdict] : expected.items())
        drop(spool, name + "-" + std::to_string(round) + ".py", slurp(problem / "submissions" / (name + ".py")));
    const int total = 3 * static_cast<int>(expected.size());
    const auto log1 = engine_env().scratch / "watch" / "grade-log1";
    const auto log2 = engine_env().scratch / "watch" / "grade-log2";
    fs::create_directories(log1);
    fs::create_directories(log2);
    const pid_t first = spawn_pyjudge(
        {"watch", spool.string(), "--problem", problem.string(), "--jobs", "3", "--settle", "100"}, log1.string());
    REQUIRE(wait_until([&] { return count_results(spool) >= 3; }, 120));
    ::kill(first, SIGKILL);
    wait_exit(first);
    const pid_t second = spawn_pyjudge(
        {"watch", spool.string(), "--problem", problem.string(), "--jobs", "3", "--settle", "100"}, log2.string());
    REQUIRE(wait_until([&] { return count_results(spool) == total && count_files(spool / "work") == 0; }, 240));
    ::kill(second, SIGTERM);
    CHECK(wait_exit(second) == 143);
    for (int round = 0; round < 3; ++round)
      for (const auto& [name, verdict] : expected.items()) {
        const std::string id = name + "-" + std::to_string(round);
        CAPTURE(id);
        const auto report = json::parse(slurp(spool / "results" / id / "report.json"));
        CHECK(report["submissions"][0]["verdict"] == verdict);
        CHECK(fs::exists(spool / "results" / id / "01" / "result.json"));
        CHECK(slurp(spool / "results" / id / "grades.csv").find(id + ".py,") != std::string::npos);
      }
    check_settled(spool);
    CHECK(count_containers({}) == 0);
  }

  TEST_CASE("--once: judges the inbox, then exits by the batch rules") {
    auto once = [](const std::map<std::string, std::string>& files) {
      const auto spool = spool_dir("once-" + std::to_string(files.size()) + "-" + files.begin()->first);
      for (const auto& [name, content] : files) drop(spool, name, content);
      return run_pyjudge({"watch", spool.string(), "--once", "--time-limit", "1"}).exit_code;
    };
    CHECK(once({{"a.py", "print(1)\n"}, {"b.py", "print(2)\n"}}) == 0);
    CHECK(once({{"a.py", "print(1)\n"}, {"t.py", "import time\ntime.sleep(9)\n"}}) == 124);
    CHECK(once({{"a.py", "print(1)\n"}, {"t.py", "import time\ntime.sleep(9)\n"}, {"r.py", "raise SystemExit(1)\n"}}) ==
          255);
    CHECK(once({{"x.txt", "not a job\n"}}) == 2);
    // A job spec may only name plain files inside SPOOL/files/.
    CHECK(once({{"escape.json", "{\"script\": \"/etc/passwd\"}"}}) == 2);
    CHECK(once({{"dotdot.json", "{\"script\": \"../inbox/x.py\"}"}}) == 2);
    {
      const auto spool = spool_dir("spec");
      fs::create_directories(spool / "files");
      std::ofstream(spool / "files" / "hello.py") << "print(input() * 2)\n";
      std::ofstream(spool / "files" / "word.txt") << "ab\n";
      fs::create_symlink("/etc/hostname", spool / "files" / "link.txt");
      drop(spool, "spec.json", R"({"script": "hello.py", "stdin": "word.txt", "time_limit": 2.0, "memory": 1e8})");
      drop(spool, "linked.json", R"({"script": "hello.py", "stdin": "link.txt"})");
      CHECK(run_pyjudge({"watch", spool.string(), "--once"}).exit_code == 2);  // linked.json is rejected
      CHECK(slurp(spool / "results" / "spec" / "stdout") == "abab\n");
      CHECK(result_of(spool, "spec")["limits"]["memory"] == 100000000);
      CHECK(slurp(spool / "rejected" / "linked.reason.txt").find("link.txt") != std::string::npos);
      CHECK_FALSE(fs::exists(spool / "results" / "linked"));
      // A link dropped into the inbox is refused too.
      fs::create_symlink("/etc/hostname", spool / "inbox" / "sneaky.in");
      drop(spool, "sneaky.py", "print(input())\n");
      CHECK(run_pyjudge({"watch", spool.string(), "--once"}).exit_code == 2);
      CHECK_FALSE(fs::exists(spool / "results" / "sneaky"));
      CHECK(slurp(spool / "rejected" / "sneaky.reason.txt").find("not a regular file") != std::string::npos);
    }
    CHECK(run_pyjudge({"watch", "/proc/nope/spool", "--once"}).exit_code == 2);

    // One watcher per spool.
    const auto spool = spool_dir("locked");
    const auto logdir = engine_env().scratch / "watch" / "locked-log";
    fs::create_directories(logdir);
    const pid_t first = spawn_pyjudge({"watch", spool.string()}, logdir.string());
    REQUIRE(wait_until([&] { return slurp(logdir / "cli.err").find("watching") != std::string::npos; }, 20));
    auto second = run_pyjudge({"watch", spool.string(), "--once"});
    CHECK(second.exit_code == 2);
    CHECK(second.err.find("another pyjudge watch") != std::string::npos);
    ::kill(first, SIGINT);
    CHECK(wait_exit(first) == 130);
    CHECK(run_pyjudge({"watch", (engine_env().scratch / "w").string(), "--problem", "/nonexistent"}).exit_code == 2);
  }
}
