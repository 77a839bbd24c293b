// Function grading (issue 22) end to end against the real engine: the
// forgery attempts of tests/hostile/functions/ and the samples of
// problems/stats/ get exactly their verdicts and scores, Gradescope's
// results.json carries the staff's labels, a student can read the compared
// values but never a line of the staff's tests, folder submissions bring
// their helper modules, and bad input is refused with one line.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path work_dir(const std::string& name) {
  auto d = engine_env().scratch / "functions" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One line on stderr, nothing on stdout, exit 2.
void check_refused(const CliResult& r, const std::string& mentions) {
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CAPTURE(r.err);
  REQUIRE(!r.err.empty());
  CHECK(r.err.back() == '\n');
  CHECK(r.err.find('\n') == r.err.size() - 1);
  CHECK(has(r.err, mentions));
}

// Text of the staff's tests that no message may quote: their source lines,
// their files and frames, the folder they run in.
const std::vector<std::string> kStaffSource = {
    "self.assert",    "set_score(",      "def test_",
    "assert target.", "/tmp/staff",      "test_basic.py\"",
    "test_more.py\"", "test_stats.py\"", "Traceback (most recent call last):\n  File \"/tmp/staff",
    "+  where",       "earned +="};

void check_no_staff_source(const json& report) {
  for (const auto& s : report["submissions"])
    for (const auto& t : s["tests"]) {
      const std::string msg = t["message"];
      CAPTURE(s["submission"].get<std::string>());
      CAPTURE(t["test"].get<std::string>());
      CAPTURE(msg);
      for (const auto& bad : kStaffSource) CHECK_FALSE(has(msg, bad));
    }
}

const json& test_of(const json& submission, const std::string& name) {
  for (const auto& t : submission["tests"])
    if (t["test"] == name) return t;
  FAIL("no test " << name);
  throw std::logic_error("unreachable");
}

const json& submission_of(const json& report, const std::string& name) {
  for (const auto& s : report["submissions"])
    if (s["submission"] == name) return s;
  FAIL("no submission " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_SUITE("engine/functions") {
  TEST_CASE("every forgery attempt of tests/hostile/functions earns exactly its honest part") {
    const fs::path problem = fs::path(PYJUDGE_HOSTILE) / "functions";
    const auto out = work_dir("hostile");
    const auto r = run_pyjudge({"verify", problem.string(), "--out", out.string(), "--jobs", "4"});
    CAPTURE(r.out);
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    CHECK(has(r.out, "verified"));
    const auto report = read_json(out / "report.json");
    const auto expected = read_json(problem / "expected.json");
    REQUIRE(report["submissions"].size() == expected.size());
    check_no_staff_source(report);
    for (const auto& s : report["submissions"])
      for (const auto& t : s["tests"]) {
        const std::string msg = t["message"];
        // The hidden test's argument is in the staff's source only.
        CHECK_FALSE(has(msg, "quokka"));
        // pytest's comparison without its `where` lines (they spell out the call).
        CHECK_FALSE(has(msg, "to be or not to be"));
      }
    // The tests after an attempt still run on a fresh zygote or a clean slate.
    for (const std::string name : {"kill_all", "exit_in_call", "stop_zygote", "orphan_burner", "hidden_burner"}) {
      CAPTURE(name);
      const auto& s = submission_of(report, name);
      CHECK(test_of(s, "test_fib_ten")["verdict"] == "AC");
      CHECK(test_of(s, "test_counter")["verdict"] == "AC");
    }
    // A burner left from add would be charged in word_count's 3 s of sleep.
    for (const std::string name : {"orphan_burner", "hidden_burner"}) {
      const auto& t = test_of(submission_of(report, name), "test_word_count");
      CAPTURE(name);
      CHECK(t["verdict"] == "AC");
      CHECK(t["cpu_time"].get<double>() < 1.0);
    }
    // What each attempt's first failure looks like to the student.
    const auto msg = [&](const char* sub, const char* test) {
      return test_of(submission_of(report, sub), test)["message"].get<std::string>();
    };
    CHECK(has(msg("eq_always_true", "TestGreet.test_greet"), "cannot cross"));
    CHECK(has(msg("kill_all", "TestGreet.test_greet"), "killed by signal 9"));
    // The zygote, alive, reaped that process and reported how it ended.
    CHECK(has(msg("exit_in_call", "TestGreet.test_greet"), "ended during target.greet() (exit status 0)"));
    CHECK(msg("file_reader", "TestChecksum.test_hidden") == "-1 != 56152");
    CHECK(has(msg("patch_harness", "TestChecksum.test_visible"), "SkipTest"));
    // CPU time, or the wall limit (3 x CPU + 2 s) first on a busy machine.
    CHECK(has(msg("endless_loop", "test_word_count"), "the student's code"));
    CHECK(has(msg("slow_sleep", "test_word_count"), "took too much time"));
    CHECK(has(msg("memory_bomb", "test_counter"), "memory"));
    CHECK(has(msg("exit_at_import", "test_counter"), "importing target"));
  }

  TEST_CASE("problems/stats: every sample gets its verdict and score; messages show values, never the staff's source") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "stats";
    const auto out = work_dir("stats-verify");
    const auto r = run_pyjudge({"verify", problem.string(), "--out", out.string()});
    CAPTURE(r.out);
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    const auto report = read_json(out / "report.json");
    check_no_staff_source(report);
    // WA: the assertion's comparison of the reprs, and its own message.
    const std::string wa = test_of(submission_of(report, "wrong_median"), "TestMedian.test_even")["message"];
    CAPTURE(wa);
    CHECK(has(wa, "3 != 2.5"));
    CHECK(has(wa, "the mean of the two middle values"));
    const std::string total = test_of(submission_of(report, "partial"), "TestRunning.test_total")["message"];
    CHECK(total == "3 != 6");
    // RE: the student's own frames (its helper module's too), no staff frame.
    const std::string re = test_of(submission_of(report, "partial"), "TestMean.test_empty_raises")["message"];
    CAPTURE(re);
    CHECK(has(re, "ZeroDivisionError"));
    CHECK(has(re, "/tmp/work/stats.py"));
    CHECK(has(re, "/tmp/work/helpers.py"));
    CHECK_FALSE(has(re, "test_stats.py"));
    // An import error names the module and what it could not import.
    const std::string imp = test_of(submission_of(report, "crashes"), "TestMean.test_small")["message"];
    CAPTURE(imp);
    CHECK(has(imp, "importing stats raised"));
    CHECK(has(imp, "this_module_does_not_exist"));
  }

  TEST_CASE("--format gradescope: visibility, weights, numbers and partial credit from the staff's decorators") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "stats";
    const auto out = work_dir("stats-gradescope");
    const auto r = run_pyjudge({"grade", problem.string(), (problem / "submissions" / "partial").string(), "--out",
                                out.string(), "--format", "gradescope"});
    CAPTURE(r.err);
    CHECK(r.exit_code == 1);  // not accepted
    const auto results = read_json(out / "results.json");
    CHECK(json::parse(r.out) == results);
    CHECK(results["score"] == 8);
    struct Want {
      const char* name;
      double max_score;
      const char* number;
      const char* visibility;
      double score;
    };
    const Want wants[] = {
        {"TestMean.test_small", 2, "1.1", "visible", 2},    {"TestMean.test_empty_raises", 1, "1.2", "visible", 0},
        {"TestMedian.test_odd", 2, "2.1", "visible", 2},    {"TestMedian.test_even", 2, "2.2", "hidden", 2},
        {"TestRunning.test_total", 1, "3.1", "visible", 0}, {"TestRunning.test_many", 4, "3.2", "visible", 2},
    };
    REQUIRE(results["tests"].size() == std::size(wants));
    for (const auto& w : wants) {
      CAPTURE(std::string(w.name));
      const json* found = nullptr;
      for (const auto& t : results["tests"])
        if (t["name"] == w.name) found = &t;
      REQUIRE(found != nullptr);
      const auto& t = *found;
      CHECK(t["max_score"] == w.max_score);
      CHECK(t["number"] == w.number);
      CHECK(t["visibility"] == w.visibility);
      CHECK(t["score"] == w.score);  // test_many: 2 of 4 by set_score, though it failed
      CHECK(t["status"] == (w.score == w.max_score ? "passed" : "failed"));
      const std::string output = t.value("output", "");
      for (const auto& bad : kStaffSource) CHECK_FALSE(has(output, bad));
    }
  }

  TEST_CASE("a folder submission brings its helper modules and packages") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "stats";
    const auto sub = work_dir("with-helpers") / "with_helpers";
    fs::create_directories(sub / "tools");
    std::ofstream(sub / "stats.py") << "from helpers import total\n"
                                       "from tools.order import middle\n\n\n"
                                       "def mean(xs):\n"
                                       "    if not xs:\n"
                                       "        raise ValueError('mean of an empty list')\n"
                                       "    return total(xs) / len(xs)\n\n\n"
                                       "def median(xs):\n"
                                       "    return middle(sorted(xs))\n\n\n"
                                       "class Running:\n"
                                       "    def __init__(self):\n"
                                       "        self.items, self.count = [], 0\n\n"
                                       "    def add(self, x):\n"
                                       "        self.items.append(x)\n"
                                       "        self.count += 1\n\n"
                                       "    def total(self):\n"
                                       "        return total(self.items)\n";
    std::ofstream(sub / "helpers.py") << "def total(xs):\n    return sum(xs)\n";
    std::ofstream(sub / "tools" / "__init__.py") << "";
    std::ofstream(sub / "tools" / "order.py")
        << "def middle(s):\n    mid = len(s) // 2\n    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2\n";
    const auto out = work_dir("with-helpers-out");
    const auto r = run_pyjudge({"grade", problem.string(), sub.string(), "--out", out.string(), "--format", "json"});
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    const auto report = json::parse(r.out);
    REQUIRE(report["submissions"].size() == 1);
    const auto& s = report["submissions"][0];
    CHECK(s["verdict"] == "AC");
    CHECK(s["score"] == 12);
    for (const auto& t : s["tests"]) CHECK_MESSAGE(t["verdict"] == "AC", t["test"] << ": " << t["message"]);
  }

  TEST_CASE("the module is imported once: every test's fresh process is forked from the same zygote") {
    // Import-time state (here the zygote's pid) is shared by every test; a
    // test's own state (a module-level list it appends to) is not.
    const auto problem = work_dir("import-once") / "once";
    fs::create_directories(problem / "tests");
    std::ofstream(problem / "problem.json")
        << R"({"title": "Once", "kind": "functions", "module": "once", "time_limit": 1, "memory": "64m"})";
    std::ofstream(problem / "tests" / "test_once.py") << "import once\n"
                                                         "def test_1():\n    assert once.probe() == 0\n"
                                                         "def test_2():\n    assert once.probe() == 0\n"
                                                         "def test_3():\n    assert once.probe() == 0\n";
    const auto sub = work_dir("import-once-sub") / "s";
    fs::create_directories(sub);
    std::ofstream(sub / "once.py") << "import os\nZYGOTE = os.getpid()\nSEEN = []\n"
                                      "def probe():\n    SEEN.append(1)\n    return [ZYGOTE, len(SEEN)]\n";
    const auto r = run_pyjudge(
        {"grade", problem.string(), sub.string(), "--out", work_dir("import-once-out").string(), "--format", "json"});
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 1);
    const auto report = json::parse(r.out);
    std::set<std::string> messages;
    for (const auto& t : report["submissions"][0]["tests"]) {
      CHECK(t["verdict"] == "WA");
      messages.insert(t["message"].get<std::string>().substr(0, t["message"].get<std::string>().find('\n')));
    }
    // The same zygote pid, and a SEEN of length 1, in all three tests.
    CHECK_MESSAGE(messages.size() == 1, *messages.begin());
    CHECK(messages.begin()->find(", 1] == 0") != std::string::npos);
  }

  TEST_CASE("bad input: exit 2 with a one-line error") {
    const fs::path stats = fs::path(PYJUDGE_PROBLEMS) / "stats";
    const auto dir = work_dir("bad-input");
    SUBCASE("a function problem whose module name is not an identifier") {
      for (const std::string module : {"not-valid", "a.b", "", "2nd"}) {
        CAPTURE(module);
        const auto problem = dir / "bad-module";
        fs::create_directories(problem / "tests");
        fs::copy_file(stats / "tests" / "test_stats.py", problem / "tests" / "test_stats.py",
                      fs::copy_options::overwrite_existing);
        std::ofstream(problem / "statement.md") << "Nothing.\n";
        std::ofstream(problem / "problem.json")
            << json{{"title", "Bad module"}, {"kind", "functions"}, {"module", module}, {"time_limit", 1}}.dump();
        const auto sub = dir / "bad-module-sub";
        fs::create_directories(sub);
        std::ofstream(sub / "x.py") << "def f():\n    return 1\n";
        check_refused(run_pyjudge({"grade", problem.string(), sub.string(), "--out", (dir / "out1").string()}),
                      "module");
        check_refused(run_pyjudge({"verify", problem.string(), "--out", (dir / "out2").string()}), "module");
      }
    }
    SUBCASE("a submission folder without the module's file") {
      const auto sub = dir / "no-module";
      fs::create_directories(sub);
      std::ofstream(sub / "statistics.py") << "def mean(xs):\n    return sum(xs) / len(xs)\n";
      check_refused(run_pyjudge({"grade", stats.string(), sub.string(), "--out", (dir / "out3").string()}), "stats.py");
    }
  }
}
