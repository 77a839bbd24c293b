// Integration tests of `pyjudge batch` against the real engine.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
using nlohmann::json;

namespace {

struct Kind {
  const char* name;
  const char* code;
  const char* verdict;
  json limits;
};

// One script per verdict, each made to get it quickly and under load.
const std::vector<Kind>& kinds() {
  static const std::vector<Kind> k = {
      {"ok", "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n", "OK", json::object()},
      {"tle", "import time\ntime.sleep(100)\n", "TLE", {{"time_limit", 1}}},
      {"re", "import sys\nprint('partial')\nsys.exit(2)\n", "RE", json::object()},
      {"mle", "data = b'x' * (200 * 1024 * 1024)\nprint(len(data))\n", "MLE", {{"memory", "64m"}, {"time_limit", 10}}},
      {"ole",
       "import sys\nwhile True:\n    sys.stdout.write('y' * 4096)\n",
       "OLE",
       {{"output_limit", "64k"}, {"time_limit", 10}}},
  };
  return k;
}

std::filesystem::path batch_dir(const std::string& name) {
  auto d = engine_env().scratch / "batch" / name;
  std::filesystem::create_directories(d);
  return d;
}

// Writes the scripts and an input beside the jobs file, with relative paths.
void write_inputs(const std::filesystem::path& dir) {
  for (const auto& k : kinds()) std::ofstream(dir / (std::string(k.name) + ".py")) << k.code;
  std::ofstream(dir / "numbers.in") << "1 2 3 4\n";
}

// n jobs cycling through the kinds; returns id -> expected verdict.
std::map<std::string, std::string> write_jsonl(const std::filesystem::path& file, int n, bool mixed = true) {
  write_inputs(file.parent_path());
  std::map<std::string, std::string> expected;
  std::ofstream out(file);
  for (int i = 0; i < n; ++i) {
    const Kind& k = mixed ? kinds()[static_cast<std::size_t>(i) % kinds().size()] : kinds()[0];
    const std::string id = std::string(k.name) + "-" + std::to_string(i);
    json j = {{"id", id}, {"script", std::string(k.name) + ".py"}, {"stdin", "numbers.in"}};
    j.update(k.limits);
    out << j.dump() << "\n";
    expected[id] = k.verdict;
  }
  return expected;
}

// Kills job `id`'s container from outside half a second after it starts
// running, as an engine restart or an operator's `docker kill` would.
std::thread kill_once_running(const std::string& id) {
  return std::thread([id] {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < until) {
      auto list = engine_env().engine.list_containers({{kLabelOwned, "1"}, {kLabelJob, id}});
      if (list && !list->empty() && (*list)[0].value("State", "") == "running") {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        (void)engine_env().engine.kill((*list)[0].value("Id", ""));
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

int count_results(const std::filesystem::path& out) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(out, ec))
    if (std::filesystem::exists(e.path() / "result.json")) ++n;
  return n;
}

}  // namespace

TEST_SUITE("engine/batch") {
  TEST_CASE("a 50-job mixed batch at concurrency 8 gets every verdict right") {
    const auto dir = batch_dir("mixed");
    const auto expected = write_jsonl(dir / "jobs.jsonl", 50);
    const auto out = dir / "out";
    auto r = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--jobs", "8", "--out", out.string()});
    CHECK(r.exit_code == 255);
    for (const auto& [id, verdict] : expected) {
      CAPTURE(id);
      const auto res = read_json(out / id / "result.json");
      CHECK(res["verdict"] == verdict);
      CHECK(res["id"] == id);
    }
    CHECK(slurp(out / "ok-0" / "stdout") == "10\n");
    CHECK(slurp(out / "re-2" / "stdout") == "partial\n");
    CHECK(slurp(out / "ole-4" / "stdout").size() == 64u * 1024);
    const auto summary = read_json(out / "summary.json");
    CHECK(summary["total"] == 50);
    CHECK(summary["finished"] == 50);
    CHECK(summary["by_verdict"]["OK"] == 10);
    CHECK(summary["by_verdict"]["TLE"] == 10);
    CHECK(summary["by_verdict"]["MLE"] == 10);
    CHECK(summary["by_verdict"]["OLE"] == 10);
    CHECK(summary["by_verdict"]["RE"] == 10);
    CHECK(summary["by_status"]["0"] == 10);
    CHECK(summary["by_status"]["124"] == 10);
    CHECK(summary["by_status"]["-1"] == 30);
    CHECK(summary["jobs"].size() == 50);
    CHECK(r.err.find("50 of 50 jobs finished") != std::string::npos);
    CHECK(count_containers({}) == 0);
  }

  TEST_CASE("jobs with a \"group\" share containers and still get every verdict right") {
    const auto dir = batch_dir("grouped");
    write_inputs(dir);
    std::map<std::string, std::string> expected;
    {
      std::ofstream out(dir / "jobs.jsonl");
      for (int i = 0; i < 30; ++i) {
        const Kind& k = kinds()[static_cast<std::size_t>(i) % kinds().size()];
        const std::string id = std::string(k.name) + "-g" + std::to_string(i);
        json j = {{"id", id},
                  {"script", std::string(k.name) + ".py"},
                  {"stdin", "numbers.in"},
                  {"group", "author-" + std::to_string(i % 3)}};
        j.update(k.limits);
        out << j.dump() << "\n";
        expected[id] = k.verdict;
      }
    }
    const auto out = dir / "out";
    auto r = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--jobs", "3", "--out", out.string()});
    CHECK(r.exit_code == 255);
    for (const auto& [id, verdict] : expected) {
      CAPTURE(id);
      const auto res = read_json(out / id / "result.json");
      CHECK(res["verdict"] == verdict);
      CHECK(res["attempts"] == 1);
    }
    CHECK(read_json(out / "summary.json")["finished"] == 30);
    CHECK(count_containers({{kLabelOwned, "1"}}) == 0);
  }

  TEST_CASE("a bad group is a bad line") {
    const auto dir = batch_dir("bad-group");
    write_inputs(dir);
    std::ofstream(dir / "jobs.jsonl") << R"({"id": "a", "script": "ok.py", "group": "../x"})"
                                      << "\n"
                                      << R"({"id": "b", "script": "ok.py", "group": 7})"
                                      << "\n";
    auto r = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--out", (dir / "out").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("jobs.jsonl:1: bad group") != std::string::npos);
    CHECK(r.err.find("jobs.jsonl:2:") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "out" / "a"));
  }

  TEST_CASE("exit code: 0 when all are OK, 124 when the worst is a time-out") {
    const auto dir = batch_dir("codes");
    write_inputs(dir);
    std::ofstream(dir / "ok.jsonl") << R"({"id": "a", "script": "ok.py"})"
                                       "\n"
                                       R"({"id": "b", "script": "ok.py"})"
                                       "\n";
    CHECK(run_pyjudge({"batch", (dir / "ok.jsonl").string(), "--out", (dir / "o1").string()}).exit_code == 0);
    std::ofstream(dir / "tle.jsonl") << R"({"id": "a", "script": "ok.py"})"
                                        "\n"
                                     << R"({"id": "b", "script": "tle.py", "time_limit": 0.5})"
                                        "\n";
    CHECK(run_pyjudge({"batch", (dir / "tle.jsonl").string(), "--out", (dir / "o2").string()}).exit_code == 124);
  }

  TEST_CASE("bad lines are all reported with line numbers, and nothing runs") {
    const auto dir = batch_dir("bad");
    write_inputs(dir);
    std::ofstream(dir / "jobs.jsonl") << R"({"id": "a", "script": "ok.py"})"
                                         "\n"  // 1 fine
                                      << R"({"id": "a", "script": "ok.py"})"
                                         "\n"  // 2 duplicate
                                      << R"({"id": "b", "script": "ok.py")"
                                         "\n"  // 3 bad JSON
                                      << R"({"id": "../c", "script": "ok.py"})"
                                         "\n"  // 4 bad id
                                      << R"({"id": "d", "script": "missing.py"})"
                                         "\n"  // 5 missing file
                                      << R"({"id": "e", "script": "ok.py", "time_limit": -1})"
                                         "\n"  // 6 bad limit
                                      << R"({"id": "f", "script": "ok.py", "colour": "red"})"
                                         "\n"  // 7 unknown key
                                      << "\n"
                                      << R"({"id": "g", "script": "ok.py", "memory": "1m"})"
                                         "\n";  // 9 below minimum
    const auto out = dir / "out";
    auto r = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--out", out.string()});
    CHECK(r.exit_code == 2);
    for (int line : {2, 3, 4, 5, 6, 7, 9}) {
      CAPTURE(line);
      CHECK(r.err.find("jobs.jsonl:" + std::to_string(line) + ":") != std::string::npos);
    }
    CHECK(r.err.find("jobs.jsonl:1:") == std::string::npos);
    CHECK(r.err.find("duplicate id 'a' (first on line 1)") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out / "a"));
    CHECK(count_containers({}) == 0);

    std::ofstream(dir / "jobs.csv") << "id,script,colour\n";
    auto c = run_pyjudge({"batch", (dir / "jobs.csv").string(), "--out", out.string()});
    CHECK(c.exit_code == 2);
    CHECK(c.err.find("jobs.csv:1: unknown column \"colour\"") != std::string::npos);
    CHECK(run_pyjudge({"batch", (dir / "nonexistent.jsonl").string()}).exit_code == 2);
  }

  TEST_CASE("CSV, JSON Lines and stdin give the same results") {
    const auto dir = batch_dir("formats");
    write_inputs(dir);
    std::ofstream(dir / "jobs.jsonl") << R"({"id": "ok", "script": "ok.py", "stdin": "numbers.in", "time_limit": 2})"
                                         "\n"
                                      << R"({"id": "re", "script": "re.py", "time_limit": 2})"
                                         "\n"
                                      << R"({"id": "tle", "script": "tle.py", "time_limit": 0.5})"
                                         "\n";
    std::ofstream(dir / "jobs.csv") << "id,script,stdin,time_limit\n"
                                    << "ok,ok.py,numbers.in,2\n"
                                    << "re,re.py,,2\n"
                                    << "\"tle\",tle.py,,0.5\n";
    const auto a = dir / "from-jsonl", b = dir / "from-csv", c = dir / "from-stdin";
    CHECK(run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--out", a.string()}).exit_code == 255);
    CHECK(run_pyjudge({"batch", (dir / "jobs.csv").string(), "--out", b.string()}).exit_code == 255);
    // From stdin, relative paths resolve against the working folder: use absolute ones.
    std::ofstream(dir / "abs.jsonl")
        << json{{"id", "ok"},
                {"script", (dir / "ok.py").string()},
                {"stdin", (dir / "numbers.in").string()},
                {"time_limit", 2}}
               .dump()
        << "\n"
        << json{{"id", "re"}, {"script", (dir / "re.py").string()}, {"time_limit", 2}}.dump() << "\n"
        << json{{"id", "tle"}, {"script", (dir / "tle.py").string()}, {"time_limit", 0.5}}.dump() << "\n";
    CHECK(run_pyjudge({"batch", "-", "--out", c.string()}, {}, (dir / "abs.jsonl").string()).exit_code == 255);
    for (const std::string id : {"ok", "re", "tle"}) {
      CAPTURE(id);
      const auto ra = read_json(a / id / "result.json");
      for (const auto& other : {b, c}) {
        const auto rb = read_json(other / id / "result.json");
        CHECK(ra["verdict"] == rb["verdict"]);
        CHECK(ra["status"] == rb["status"]);
        CHECK(ra["exit_code"] == rb["exit_code"]);
        CHECK(ra["limits"] == rb["limits"]);
        CHECK(slurp(a / id / "stdout") == slurp(other / id / "stdout"));
      }
    }
    CHECK(slurp(a / "ok" / "stdout") == "10\n");
  }

  TEST_CASE("SIGINT mid-batch: no container, no torn result, unfinished jobs marked; --resume finishes it") {
    const auto dir = batch_dir("interrupt");
    write_inputs(dir);
    {
      std::ofstream jobs(dir / "jobs.jsonl");
      for (int i = 0; i < 30; ++i)
        jobs << json{{"id", "job-" + std::to_string(i)}, {"script", "ok.py"}, {"stdin", "numbers.in"}}.dump() << "\n";
    }
    const auto out = dir / "out";
    const pid_t pid =
        spawn_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--jobs", "2", "--out", out.string()}, dir.string());
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (count_results(out) < 4 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(count_results(out) >= 4);
    const auto t0 = std::chrono::steady_clock::now();
    ::kill(pid, SIGINT);
    ::kill(pid, SIGINT);  // a second SIGINT must not skip the cleanup
    CHECK(wait_exit(pid) == 130);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));
    CHECK(count_containers({}) == 0);

    const auto summary = read_json(out / "summary.json");
    CHECK(summary["interrupted"] == true);
    CHECK(summary["signal"] == SIGINT);
    const int finished = summary["finished"];
    CHECK(finished < 30);
    CHECK(summary["unfinished"] == 30 - finished);
    std::map<std::string, std::string> first_start;
    for (const auto& j : summary["jobs"]) {
      const std::string id = j["id"];
      const bool has = std::filesystem::exists(out / id / "result.json");
      CHECK_MESSAGE(has == (j["state"] == "done"), id);
      if (has) {
        const auto res = read_json(out / id / "result.json");  // parses: not torn
        CHECK(res["verdict"] == "OK");
        first_start[id] = res["started_at"];
      } else {
        CHECK(j["verdict"].is_null());
      }
    }
    CHECK(static_cast<int>(first_start.size()) == finished);

    auto r = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--jobs", "4", "--resume", "--out", out.string()});
    CHECK(r.exit_code == 0);
    const auto after = read_json(out / "summary.json");
    CHECK(after["finished"] == 30);
    CHECK(after["by_state"]["resumed"] == finished);
    CHECK(after["by_state"]["done"] == 30 - finished);
    for (const auto& [id, started] : first_start)
      CHECK_MESSAGE(read_json(out / id / "result.json")["started_at"] == started, id);
    CHECK(count_results(out) == 30);
    CHECK(count_containers({}) == 0);
  }

  TEST_CASE("a job whose container the engine loses is retried in a fresh one (IE), never blamed on the script") {
    const auto dir = batch_dir("retry");
    std::ofstream(dir / "slow.py") << "import time\ntime.sleep(2)\nprint('finished')\n";
    std::ofstream(dir / "jobs.jsonl") << json{{"id", "lost-once"}, {"script", "slow.py"}, {"time_limit", 10}}.dump()
                                      << "\n";
    const auto out = dir / "out";
    std::thread killer = kill_once_running("lost-once");
    auto r = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--out", out.string(), "--retries", "2"});
    killer.join();
    CHECK(r.exit_code == 0);
    const auto res = read_json(out / "lost-once" / "result.json");
    CHECK(res["verdict"] == "OK");
    CHECK(res["attempts"] == 2);
    CHECK(slurp(out / "lost-once" / "stdout") == "finished\n");
    CHECK(r.err.find("retrying in a fresh container") != std::string::npos);
    CHECK(count_containers({}) == 0);

    // Without retries the same loss is reported as IE, not as the script's RE.
    std::thread killer2 = kill_once_running("lost-once");
    auto r2 = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--out", out.string(), "--retries", "0"});
    killer2.join();
    CHECK(r2.exit_code == 255);
    CHECK(read_json(out / "lost-once" / "result.json")["verdict"] == "IE");
  }

  TEST_CASE("--fail-fast stops starting jobs after the first failure") {
    const auto dir = batch_dir("failfast");
    write_inputs(dir);
    {
      std::ofstream jobs(dir / "jobs.jsonl");
      jobs << json{{"id", "first-fails"}, {"script", "re.py"}}.dump() << "\n";
      for (int i = 0; i < 10; ++i)
        jobs << json{{"id", "later-" + std::to_string(i)}, {"script", "ok.py"}}.dump() << "\n";
    }
    const auto out = dir / "out";
    auto r = run_pyjudge({"batch", (dir / "jobs.jsonl").string(), "--jobs", "1", "--fail-fast", "--out", out.string()});
    CHECK(r.exit_code == 255);
    const auto summary = read_json(out / "summary.json");
    CHECK(summary["by_state"]["skipped"] == 10);
    CHECK_FALSE(std::filesystem::exists(out / "later-0" / "result.json"));
  }
}
