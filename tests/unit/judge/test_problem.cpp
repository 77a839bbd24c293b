#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>

#include "judge/formats/problem.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;
namespace fs = std::filesystem;

namespace {

struct ProblemDir {
  fs::path dir = fs::temp_directory_path() / ("pyjudge-problem-test-" + std::to_string(::getpid())) / "demo";
  ProblemDir() {
    fs::create_directories(dir / "tests");
    put("statement.md", "# Demo\n");
    put("tests/01.in", "1\n");
    put("tests/01.out", "1\n");
    put("tests/02.in", "2\n");
    put("tests/02.out", "2\n");
  }
  ~ProblemDir() { fs::remove_all(dir.parent_path()); }
  void put(const std::string& name, const std::string& content) const { std::ofstream(dir / name) << content; }
  Expected<Problem> load(const std::string& json) const {
    put("problem.json", json);
    return load_problem(dir, Limits{});
  }
};

std::string error_of(const Expected<Problem>& p) { return p ? std::string("(loaded)") : p.error().message; }

}  // namespace

TEST_SUITE("judge/problem") {
  TEST_CASE("a good problem with default points and the default checker") {
    ProblemDir d;
    auto p = d.load(R"({"title": "Demo", "time_limit": 1.5, "memory": "64m"})");
    REQUIRE_MESSAGE(bool(p), error_of(p));
    CHECK(p->title == "Demo");
    CHECK(p->name == "demo");
    // The time limit is judged on CPU time, with the wall clock at 3x + 2 s as a backstop.
    CHECK(p->limits.cpu_time_limit_s == 1.5);
    CHECK(p->limits.wall_limit_s == 6.5);
    CHECK(p->limits.memory_bytes == 64LL << 20);
    CHECK(p->checker.kind == CheckerKind::Lines);
    REQUIRE(p->tests.size() == 2);
    CHECK(p->tests[0].name == "01");
    CHECK(p->tests[1].name == "02");
    CHECK(p->max_score() == 2);
  }

  TEST_CASE("wall_time_limit sets the wall-clock backstop; cpu_time_limit is not a problem's key") {
    ProblemDir d;
    auto p = d.load(R"({"title": "Demo", "time_limit": 1, "wall_time_limit": 1.25, "memory": "64m"})");
    REQUIRE_MESSAGE(bool(p), error_of(p));
    CHECK(p->limits.cpu_time_limit_s == 1);
    CHECK(p->limits.wall_limit_s == 1.25);
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "wall_time_limit": 0, "memory": "64m"})"))
              .find("'wall_time_limit' must be a positive number") != std::string::npos);
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "wall_time_limit": "2", "memory": "64m"})"))
              .find("'wall_time_limit' must be a positive number") != std::string::npos);
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "cpu_time_limit": 1, "memory": "64m"})"))
              .find("'cpu_time_limit' is not for problems") != std::string::npos);
    Limits l;
    CHECK_FALSE(set_problem_time_limits(l, 0));
    CHECK_FALSE(set_problem_time_limits(l, 1, 90000));
    REQUIRE(set_problem_time_limits(l, 2));
    CHECK(l.wall_limit_s == 2 * kWallPerTimeLimit + kWallExtraS);
  }

  TEST_CASE("points, float tolerance and a named test list") {
    ProblemDir d;
    auto p = d.load(R"({"title": "D", "time_limit": 1, "memory": "64m", "checker": "float",
                        "tolerance": {"abs": 0.5, "rel": 0}, "points": {"02": 3}})");
    REQUIRE_MESSAGE(bool(p), error_of(p));
    CHECK(p->checker.abs_tolerance == 0.5);
    CHECK(p->checker.rel_tolerance == 0);
    CHECK(p->max_score() == 4);
    auto q = d.load(R"({"title": "D", "time_limit": 1, "memory": "64m",
                        "tests": [{"name": "big", "input": "tests/02.in", "output": "tests/02.out", "points": 5}]})");
    REQUIRE_MESSAGE(bool(q), error_of(q));
    REQUIRE(q->tests.size() == 1);
    CHECK(q->tests[0].name == "big");
    CHECK(q->max_score() == 5);
  }

  TEST_CASE("errors name the file and the field") {
    ProblemDir d;
    const std::string pj = (d.dir / "problem.json").string();
    CHECK(error_of(d.load("{not json")).find(pj + ": bad JSON") == 0);
    CHECK(error_of(d.load(R"({"time_limit": 1, "memory": "64m"})")) ==
          pj + ": field 'title' must be a non-empty string");
    CHECK(error_of(d.load(R"({"title": "D", "memory": "64m"})")) == pj + ": field 'time_limit' is required");
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": -1, "memory": "64m"})")).find("field 'time_limit'") !=
          std::string::npos);
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "1m"})")).find("memory") != std::string::npos);
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m", "colour": 1})")) ==
          pj + ": unknown field 'colour'");
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m", "checker": "diff"})"))
              .find("field 'checker'") != std::string::npos);
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m", "checker": "custom"})"))
              .find("'checker_script' is required") != std::string::npos);
    CHECK(
        error_of(
            d.load(
                R"({"title": "D", "time_limit": 1, "memory": "64m", "checker": "custom", "checker_script": "nope.py"})"))
            .find("nope.py: missing") != std::string::npos);
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m", "points": {"09": 1}})")) ==
          pj + ": field 'points.09' names no test");
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m", "tolerance": {"abs": 1}})"))
              .find("only for the float checker") != std::string::npos);
  }

  TEST_CASE("a missing expected output or input is named") {
    ProblemDir d;
    fs::remove(d.dir / "tests" / "02.out");
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m"})")) ==
          (d.dir / "tests" / "02.out").string() + ": missing (expected output of test 02)");
    d.put("tests/02.out", "2\n");
    d.put("tests/03.out", "3\n");
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m"})")) ==
          (d.dir / "tests" / "03.in").string() + ": missing (input of test 03)");
  }

  TEST_CASE("a missing statement or problem.json is named") {
    ProblemDir d;
    fs::remove(d.dir / "statement.md");
    CHECK(error_of(d.load(R"({"title": "D", "time_limit": 1, "memory": "64m"})")) ==
          (d.dir / "statement.md").string() + ": missing or unreadable");
    fs::remove(d.dir / "problem.json");
    CHECK(error_of(load_problem(d.dir, Limits{})) == (d.dir / "problem.json").string() + ": missing or unreadable");
    CHECK_FALSE(bool(load_problem(d.dir / "nope", Limits{})));
  }
}
