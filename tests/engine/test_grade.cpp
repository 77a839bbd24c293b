// Integration tests of `pyjudge grade` against the real engine: every shipped
// sample gets its expected verdict, custom checkers are sandboxed and their
// failures are IE, and the reports are well-formed.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path grade_dir(const std::string& name) {
  auto d = engine_env().scratch / "grade" / name;
  fs::create_directories(d);
  return d;
}

// A problem in the scratch folder with a custom checker.
fs::path custom_problem(const std::string& checker_code) {
  const auto dir =
      grade_dir("custom-problem-" + std::to_string(std::hash<std::string>{}(checker_code) % 100000)) / "perm";
  fs::create_directories(dir / "tests");
  std::ofstream(dir / "problem.json") << R"({"title": "Any order", "time_limit": 2, "memory": "64m",
    "checker": "custom", "checker_script": "checker.py"})";
  std::ofstream(dir / "statement.md") << "Print the input's words, in any order.\n";
  std::ofstream(dir / "tests" / "01.in") << "b a c\n";
  std::ofstream(dir / "tests" / "01.out") << "a b c\n";
  std::ofstream(dir / "checker.py") << checker_code;
  return dir;
}

int xmllint(const fs::path& file) {
  const std::string cmd = "xmllint --noout '" + file.string() + "' 2>&1";
  return std::system(cmd.c_str());
}

}  // namespace

TEST_SUITE("engine/grade") {
  TEST_CASE("every sample submission of every shipped problem gets its expected verdict, in both isolation modes") {
    for (const std::string isolation : {"submission", "test"})
      for (const std::string name : {"sum", "distinct", "circle"}) {
        // std::string, not const char*: CAPTURE of a pointer logs its address.
        CAPTURE(isolation);
        CAPTURE(name);
        const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / name;
        const auto out = grade_dir(std::string("samples-") + name + "-" + isolation);
        auto r = run_pyjudge({"grade", problem.string(), (problem / "submissions").string(), "--out", out.string(),
                              "--jobs", "4", "--isolation", isolation});
        CHECK(r.exit_code == 1);  // some samples are meant to fail
        const auto expected = read_json(problem / "expected.json");
        const auto report = read_json(out / "report.json");
        REQUIRE(report["submissions"].size() == expected.size());
        for (const auto& s : report["submissions"]) {
          const std::string sub = s["submission"];
          CAPTURE(sub);
          REQUIRE(expected.contains(sub));
          CHECK(s["verdict"] == expected[sub]);
          CHECK(s["graded"] == true);
          if (expected[sub] == "AC") CHECK(s["score"] == s["max_score"]);
          // The first cause: a memory bomb is MLE on every test, never TLE.
          if (expected[sub] == "MLE")
            for (const auto& t : s["tests"]) CHECK_MESSAGE(t["verdict"] == "MLE", t["test"] << ": " << t["message"]);
        }
        CHECK(r.out.find("submission") != std::string::npos);  // the table
        CHECK(xmllint(out / "junit.xml") == 0);
        const std::string csv = slurp(out / "grades.csv");
        CHECK(csv.rfind("submission,score,max_score,verdict\n", 0) == 0);
      }
  }

  TEST_CASE("scores: the quadratic solution keeps the points of the small tests") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "distinct";
    const auto out = grade_dir("distinct-scores");
    auto r = run_pyjudge({"grade", problem.string(), (problem / "submissions" / "tle_quadratic.py").string(),
                          (problem / "submissions" / "ac.py").string(), "--out", out.string(), "--format", "json"});
    CHECK(r.exit_code == 1);
    const auto report = json::parse(r.out);
    const auto& quad = report["submissions"][0];
    CHECK(quad["verdict"] == "TLE");
    CHECK(quad["score"] == 2);
    CHECK(quad["max_score"] == 10);
    CHECK(quad["tests"][0]["verdict"] == "AC");
    CHECK(quad["tests"][2]["verdict"] == "TLE");
    CHECK(report["submissions"][1]["verdict"] == "AC");
    CHECK(report["submissions"][1]["score"] == 10);
    CHECK(report["submissions"][1]["max_time"].get<double>() < report["limits"]["time_limit"].get<double>());
  }

  TEST_CASE("the four report formats, and exit 0 when every submission is accepted") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "sum";
    const auto out = grade_dir("formats");
    const auto sub = (problem / "submissions" / "ac.py").string();
    auto text =
        run_pyjudge({"grade", problem.string(), sub, "--out", out.string(), "--report", (out / "table.txt").string()});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("ac") != std::string::npos);
    CHECK(text.out.find("3/3") != std::string::npos);
    CHECK(slurp(out / "table.txt") == text.out);  // not a TTY: no colour either way
    CHECK(slurp(out / "grades.csv") == "submission,score,max_score,verdict\n" + sub + ",3,3,AC\n");
    CHECK(read_json(out / "report.json")["submissions"][0]["tests"].size() == 3);
    CHECK(xmllint(out / "junit.xml") == 0);
    const std::string junit = slurp(out / "junit.xml");
    CHECK(junit.find("tests=\"3\" failures=\"0\" errors=\"0\"") != std::string::npos);

    auto csv = run_pyjudge({"grade", problem.string(), sub, "--out", out.string(), "--format", "csv"});
    CHECK(csv.out == slurp(out / "grades.csv"));
    auto junit2 = run_pyjudge({"grade", problem.string(), sub, "--out", out.string(), "--format", "junit"});
    CHECK(junit2.out.rfind("<?xml", 0) == 0);
    CHECK(fs::exists(out / "ac" / "01" / "result.json"));
    CHECK(slurp(out / "ac" / "01" / "stdout") == "6\n");
  }

  TEST_CASE("--resume keeps complete results, runs again what is missing or IE") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "sum";
    const auto out = grade_dir("resume");
    const auto sub = (problem / "submissions" / "ac.py").string();
    REQUIRE(run_pyjudge({"grade", problem.string(), sub, "--out", out.string()}).exit_code == 0);
    const auto started = [&](const char* test) {
      return read_json(out / "ac" / test / "result.json")["started_at"].get<std::string>();
    };
    const std::string first01 = started("01");
    const std::string first02 = started("02");
    fs::remove(out / "ac" / "03" / "result.json");
    json ie = read_json(out / "ac" / "02" / "result.json");
    ie["verdict"] = "IE";
    ie["status"] = -1;
    ie["reason"] = "engine_error";
    std::ofstream(out / "ac" / "02" / "result.json") << ie.dump();

    auto r = run_pyjudge({"grade", problem.string(), sub, "--out", out.string(), "--resume", "--format", "csv"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "submission,score,max_score,verdict\n" + sub + ",3,3,AC\n");
    CHECK(started("01") == first01);  // kept
    CHECK(started("02") != first02);  // IE: run again
    CHECK(read_json(out / "ac" / "02" / "result.json")["verdict"] == "OK");
    CHECK(fs::exists(out / "ac" / "03" / "result.json"));  // missing: run
    // Without --resume, everything runs again.
    REQUIRE(run_pyjudge({"grade", problem.string(), sub, "--out", out.string()}).exit_code == 0);
    CHECK(started("01") != first01);
  }

  TEST_CASE("JUnit counts match the verdicts") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "sum";
    const auto out = grade_dir("junit-counts");
    run_pyjudge({"grade", problem.string(), (problem / "submissions").string(), "--out", out.string()});
    REQUIRE(xmllint(out / "junit.xml") == 0);
    const auto report = read_json(out / "report.json");
    int tests = 0, failures = 0;
    for (const auto& s : report["submissions"])
      for (const auto& t : s["tests"]) {
        ++tests;
        if (t["verdict"] != "AC") ++failures;
      }
    const std::string junit = slurp(out / "junit.xml");
    CHECK(junit.find("<testsuites name=\"sum\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
                     std::to_string(failures) + "\" errors=\"0\"") != std::string::npos);
    std::size_t suites = 0;
    for (std::size_t pos = 0; (pos = junit.find("<testsuite ", pos)) != std::string::npos; ++pos) ++suites;
    CHECK(suites == report["submissions"].size());
  }

  TEST_CASE("custom checkers run sandboxed; a misbehaving one makes IE, never a wrong verdict") {
    const auto subs = grade_dir("custom-subs");
    std::ofstream(subs / "shuffled.py") << "print(' '.join(reversed(input().split())))\n";
    std::ofstream(subs / "wrong.py") << "print('a b d')\n";
    const std::string good =
        "import os, socket\n"
        "want = sorted(open('expected').read().split())\n"
        "got = sorted(open('output').read().split())\n"
        "assert open('input').read() == 'b a c\\n'\n"
        "assert os.getuid() != 0\n"
        "print('AC' if want == got else 'WA words differ')\n";
    {
      const auto out = grade_dir("custom-good");
      auto r = run_pyjudge({"grade", custom_problem(good).string(), (subs / "shuffled.py").string(),
                            (subs / "wrong.py").string(), "--out", out.string(), "--format", "json"});
      CHECK(r.exit_code == 1);
      const auto rep = json::parse(r.out);
      CHECK(rep["submissions"][0]["verdict"] == "AC");
      CHECK(rep["submissions"][1]["verdict"] == "WA");
      CHECK(rep["submissions"][1]["tests"][0]["message"] == "words differ");
    }
    struct Bad {
      const char* name;
      const char* code;
    };
    for (const auto& bad :
         {Bad{"loops", "while True:\n    pass\n"}, Bad{"crashes", "raise RuntimeError('checker bug')\n"},
          Bad{"babbles", "print('maybe')\n"}, Bad{"silent", "pass\n"}}) {
      CAPTURE(bad.name);
      const auto out = grade_dir(std::string("custom-") + bad.name);
      auto r = run_pyjudge({"grade", custom_problem(bad.code).string(), (subs / "shuffled.py").string(), "--out",
                            out.string(), "--format", "json", "--retries", "0"});
      CHECK(r.exit_code == 4);  // not graded: its own exit code
      const auto rep = json::parse(r.out);
      CHECK(rep["submissions"][0]["verdict"] == "IE");
      CHECK(rep["submissions"][0]["graded"] == false);
      CHECK(rep["submissions"][0]["tests"][0]["verdict"] == "IE");
      CHECK(slurp(out / "grades.csv").find(",not graded\n") != std::string::npos);
    }
    CHECK(count_containers({}) == 0);
  }

  TEST_CASE("a bad problem or submission path exits 2 naming the file") {
    const auto dir = grade_dir("bad-problem") / "broken";
    fs::create_directories(dir / "tests");
    std::ofstream(dir / "statement.md") << "x\n";
    std::ofstream(dir / "tests" / "01.in") << "1\n";
    std::ofstream(dir / "problem.json") << R"({"title": "x", "time_limit": 1, "memory": "64m"})";
    const auto sub = (fs::path(PYJUDGE_PROBLEMS) / "sum" / "submissions" / "ac.py").string();
    auto missing_out = run_pyjudge({"grade", dir.string(), sub});
    CHECK(missing_out.exit_code == 2);
    CHECK(missing_out.err.find((dir / "tests" / "01.out").string()) != std::string::npos);
    std::ofstream(dir / "tests" / "01.out") << "1\n";
    std::ofstream(dir / "problem.json") << R"({"title": "x", "time_limit": 1, )";
    auto bad_json = run_pyjudge({"grade", dir.string(), sub});
    CHECK(bad_json.exit_code == 2);
    CHECK(bad_json.err.find((dir / "problem.json").string() + ": bad JSON") != std::string::npos);
    auto no_sub = run_pyjudge({"grade", (fs::path(PYJUDGE_PROBLEMS) / "sum").string(), "/nonexistent/x.py"});
    CHECK(no_sub.exit_code == 2);
    CHECK(no_sub.err.find("/nonexistent/x.py") != std::string::npos);
    auto bad_format = run_pyjudge({"grade", (fs::path(PYJUDGE_PROBLEMS) / "sum").string(), sub, "--format", "pdf"});
    CHECK(bad_format.exit_code == 2);
  }

  TEST_CASE("--isolation: an unknown mode is bad usage") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "sum";
    auto r =
        run_pyjudge({"grade", problem.string(), (problem / "submissions" / "ac.py").string(), "--isolation", "box"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--isolation") != std::string::npos);
  }

  TEST_CASE("a submission's tests share a container: a file one test leaves is gone in the next") {
    const auto dir = grade_dir("leftover") / "problem";
    fs::create_directories(dir / "tests");
    std::ofstream(dir / "problem.json") << R"({"title": "Leftovers", "time_limit": 2, "memory": "64m"})";
    std::ofstream(dir / "statement.md") << "Print yes.\n";
    for (const char* t : {"01", "02", "03"}) {
      std::ofstream(dir / "tests" / (std::string(t) + ".in")) << t << "\n";
      std::ofstream(dir / "tests" / (std::string(t) + ".out")) << "yes\n";
    }
    // Prints yes only when no earlier test left its mark behind.
    const auto sub = grade_dir("leftover") / "marker.py";
    std::ofstream(sub) << "import os\nseen = os.path.exists('/tmp/mark')\nopen('/tmp/mark', 'w').write('x')\n"
                          "print('no' if seen else 'yes')\n";
    const auto out = grade_dir("leftover") / "out";
    auto r = run_pyjudge({"grade", dir.string(), sub.string(), "--out", out.string(), "--format", "json"});
    CHECK(r.exit_code == 0);
    const auto report = read_json(out / "report.json");
    CHECK(report["submissions"][0]["verdict"] == "AC");
    CHECK(report["submissions"][0]["score"] == report["submissions"][0]["max_score"]);
  }
}
