// Limits the engine cannot honour (more CPUs or memory than its machine has)
// are bad input in every command: exit 2 or a rejection with the reason, no
// container created, no result written.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
namespace fs = std::filesystem;

namespace {

struct Machine {
  int ncpu = 0;
  std::int64_t mem_total = 0;
};

Machine machine() {
  auto info = engine_env().engine.info();
  REQUIRE(bool(info));
  return {(*info)["NCPU"].get<int>(), (*info)["MemTotal"].get<std::int64_t>()};
}

fs::path dir_for(const std::string& name) {
  auto d = engine_env().scratch / "capacity" / name;
  fs::create_directories(d);
  return d;
}

int containers_now() { return count_containers({}); }

}  // namespace

TEST_SUITE("engine/capacity") {
  TEST_CASE("run: NCPU + 1 CPUs or more memory than MemTotal is exit 2, before any container") {
    const Machine m = machine();
    const auto d = dir_for("run");
    std::ofstream(d / "ok.py") << "print(1)\n";
    const int before = containers_now();
    auto r = run_pyjudge({"run", "--id", "cpus", "--script", (d / "ok.py").string(), "--cpus",
                          std::to_string(m.ncpu + 1), "--out", (d / "out").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cpus " + std::to_string(m.ncpu + 1) + " is more than the engine's " + std::to_string(m.ncpu)) !=
          std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(d / "out" / "cpus" / "result.json"));
    const std::string too_much = std::to_string(m.mem_total / (1 << 20) + 1024) + "m";
    r = run_pyjudge({"run", "--id", "mem", "--script", (d / "ok.py").string(), "--memory", too_much, "--out",
                     (d / "out").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("memory " + too_much + " is more than the engine's machine has") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "out" / "mem" / "result.json"));
    CHECK(containers_now() == before);
  }

  TEST_CASE("batch: every offending line is reported, and nothing runs") {
    const Machine m = machine();
    const auto d = dir_for("batch");
    std::ofstream(d / "ok.py") << "print(1)\n";
    std::ofstream(d / "jobs.jsonl") << R"({"id": "fine", "script": "ok.py"})"
                                    << "\n"
                                    << R"({"id": "greedy", "script": "ok.py", "cpus": )" << m.ncpu + 1 << "}\n"
                                    << R"({"id": "hungry", "script": "ok.py", "memory": )" << m.mem_total * 2 << "}\n";
    auto r = run_pyjudge({"batch", (d / "jobs.jsonl").string(), "--out", (d / "out").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("jobs.jsonl:2: job 'greedy': cpus") != std::string::npos);
    CHECK(r.err.find("jobs.jsonl:3: job 'hungry': memory") != std::string::npos);
    CHECK(r.err.find("2 problem(s)") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "out" / "fine" / "result.json"));
    CHECK_FALSE(fs::exists(d / "out" / "summary.json"));
  }

  TEST_CASE("grade: a problem asking for more CPUs than the machine has is exit 2, naming problem.json") {
    const Machine m = machine();
    const auto p = dir_for("grade") / "greedy";
    fs::create_directories(p / "tests");
    std::ofstream(p / "problem.json") << R"({"title": "Greedy", "time_limit": 1, "memory": "64m", "cpus": )"
                                      << m.ncpu + 1 << "}";
    std::ofstream(p / "statement.md") << "x\n";
    std::ofstream(p / "tests" / "01.in") << "1\n";
    std::ofstream(p / "tests" / "01.out") << "1\n";
    std::ofstream(p / "sub.py") << "print(input())\n";
    auto r = run_pyjudge({"grade", p.string(), (p / "sub.py").string(), "--out", (p / "out").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("problem.json: cpus") != std::string::npos);
    CHECK_FALSE(fs::exists(p / "out" / "report.json"));
    CHECK_FALSE(fs::exists(p / "out" / "sub" / "01" / "result.json"));
  }

  TEST_CASE("watch: such a job is rejected with the reason") {
    const Machine m = machine();
    const auto spool = dir_for("watch") / "spool";
    fs::create_directories(spool / "inbox");
    std::ofstream(spool / "inbox" / "greedy.py") << "print(1)\n";
    std::ofstream(spool / "inbox" / "greedy.json") << R"({"cpus": )" << m.ncpu + 1 << "}";
    auto r = run_pyjudge({"watch", spool.string(), "--once", "--settle", "0"});
    CHECK(r.exit_code == 2);
    CHECK_FALSE(fs::exists(spool / "results" / "greedy"));
    const auto reason = slurp(spool / "rejected" / "greedy.reason.txt");
    CHECK(reason.find("cpus " + std::to_string(m.ncpu + 1) + " is more than the engine's") != std::string::npos);
  }
}
