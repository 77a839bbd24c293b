// Function problems on the host: problem.json's kind and module, the staff's
// files and the data under the bundle paths, submissions by module name, the
// staff's report read into grades, and a function run through the farm's
// wire format.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "judge/farm/farm_message.h"
#include "judge/formats/function_problem.h"
#include "judge/function_grade.h"
#include "runner/sandbox/container_spec.h"
#include "tests/support/temp_dir.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;
using pyjudge::testing::TempDir;
namespace fs = std::filesystem;

namespace {

void fp_put(const fs::path& file, const std::string& content) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << content;
}

// A function problem's folder: problem.json as given, tests/test_a.py.
fs::path fp_dir(const TempDir& t, const std::string& json) {
  const fs::path dir = t.path() / "fp";
  fp_put(dir / "problem.json", json);
  fp_put(dir / "tests" / "test_a.py", "import m\ndef test_x():\n    assert m.f() == 1\n");
  return dir;
}

const char* kFpGood = R"({"title": "F", "kind": "functions", "module": "m", "time_limit": 1, "memory": "64m"})";

std::string fp_error(const Expected<Problem>& p) { return p ? std::string("(loaded)") : p.error().message; }

TestCase fp_collected(const std::string& node, double points) {
  TestCase t;
  t.node = node;
  t.name = node.substr(node.rfind(':') + 1);
  t.points = points;
  return t;
}

JobResult fp_ok_run() {
  JobResult r;
  r.verdict = Verdict::OK;
  r.exit_code = 0;
  return r;
}

}  // namespace

TEST_SUITE("judge/function_problem") {
  TEST_CASE("a function problem loads its module, the staff's files under staff/ and files/ under work/") {
    TempDir t("fp");
    const fs::path dir = fp_dir(t, kFpGood);
    fp_put(dir / "tests" / "helpers" / "data.json", "{}");
    fp_put(dir / "tests" / "__pycache__" / "x.pyc", "junk");
    fp_put(dir / "tests" / ".hidden", "junk");
    fp_put(dir / "files" / "in.txt", "1 2\n");
    auto p = load_problem(dir, Limits{});
    REQUIRE_MESSAGE(bool(p), fp_error(p));
    REQUIRE(p->functions);
    CHECK(p->functions->module == "m");
    CHECK(p->tests.empty());  // the staff's tests are listed by a run
    CHECK(p->limits.cpu_time_limit_s == doctest::Approx(1));
    REQUIRE(p->functions->staff_files.size() == 2);
    CHECK(p->functions->staff_files[0].first == "staff/helpers/data.json");
    CHECK(p->functions->staff_files[1].first == "staff/test_a.py");
    REQUIRE(p->functions->data_files.size() == 1);
    CHECK(p->functions->data_files[0].first == "work/in.txt");
  }

  TEST_CASE("a bad function problem is refused, naming the field or the file") {
    TempDir t("fp");
    const auto load = [&](const std::string& json) { return fp_error(load_problem(fp_dir(t, json), {})); };
    CHECK(load(R"({"title": "F", "kind": "functions", "time_limit": 1, "memory": "64m"})").find("'module'") !=
          std::string::npos);
    CHECK(load(R"({"title": "F", "kind": "functions", "module": "my-mod", "time_limit": 1, "memory": "64m"})")
              .find("Python identifier") != std::string::npos);
    CHECK(load(R"({"title": "F", "kind": "function", "module": "m", "time_limit": 1, "memory": "64m"})")
              .find("'kind' must be stdin or functions") != std::string::npos);
    CHECK(load(R"({"title": "F", "kind": "functions", "module": "m", "checker": "exact", "time_limit": 1,
                   "memory": "64m"})")
              .find("'checker' is not for function problems") != std::string::npos);
    CHECK(load(R"({"title": "F", "module": "m", "time_limit": 1, "memory": "64m"})")
              .find("'module' is for function problems") != std::string::npos);
    const fs::path dir = fp_dir(t, kFpGood);
    fs::remove(dir / "tests" / "test_a.py");
    fp_put(dir / "tests" / "helper.py", "");
    CHECK(fp_error(load_problem(dir, {})).find("no test_*.py") != std::string::npos);
    fp_put(dir / "tests" / "test_b.py", "");
    fp_put(dir / "files" / "m.py", "");
    CHECK(fp_error(load_problem(dir, {})).find("the student's module's name") != std::string::npos);
  }

  TEST_CASE("submissions: MODULE.py, a folder holding it with its helpers, a folder of such folders") {
    TempDir t("fs");
    fp_put(t.path() / "alice" / "m.py", "");
    fp_put(t.path() / "alice" / "helper.py", "");
    fp_put(t.path() / "all" / "bob" / "m.py", "");
    fp_put(t.path() / "all" / "carol" / "m.py", "");
    fp_put(t.path() / "all" / "notes.txt", "");
    fp_put(t.path() / "dave.py", "");
    auto subs = collect_function_submissions(
        {(t.path() / "alice").string(), (t.path() / "all").string(), (t.path() / "dave.py").string()}, "m");
    REQUIRE_MESSAGE(bool(subs), subs.error().message);
    REQUIRE(subs->size() == 4);
    CHECK((*subs)[0].name == "alice");
    REQUIRE((*subs)[0].files.size() == 1);
    CHECK((*subs)[0].files[0].first == "work/helper.py");
    CHECK((*subs)[1].name == "bob");
    CHECK((*subs)[2].name == "carol");
    CHECK((*subs)[3].name == "dave");
    CHECK((*subs)[3].files.empty());
    auto none =
        collect_function_submissions({(t.path() / "all" / "notes.txt").parent_path().parent_path().string()}, "other");
    REQUIRE_FALSE(none);
    CHECK(none.error().message.find("holds no other.py") != std::string::npos);
  }

  TEST_CASE("the staff's report becomes grades: verdicts, scores within the weight, per-test figures") {
    const std::vector<TestCase> tests = {fp_collected("t.py::a", 2), fp_collected("t.py::b", 4),
                                         fp_collected("t.py::c", 1), fp_collected("t.py::d", 1)};
    const std::string report =
        R"({"event":"test","id":"t.py::a","verdict":"AC","score":2,"message":"","stdout":"hi\n","stderr":"","cpu_ns":2500000,"memory_peak":4096})"
        "\n"
        R"({"event":"test","id":"t.py::b","verdict":"WA","score":9,"message":"assert 1 == 2","stdout":"","stderr":"","cpu_ns":null,"memory_peak":null})"
        "\n"
        "not json\n"
        R"({"event":"test","id":"t.py::c","verdict":"GOOD","score":1})"
        "\n"
        R"({"event":"end","tests":3})"
        "\n";
    const auto g = function_test_grades(tests, report, fp_ok_run());
    REQUIRE(g.size() == 4);
    CHECK(g[0].verdict == GradeVerdict::AC);
    CHECK(g[0].points == 2);
    CHECK(g[0].output == "hi\n");
    CHECK(g[0].time == doctest::Approx(0.0025));
    CHECK(g[0].run.memory_peak == 4096);
    CHECK(g[1].verdict == GradeVerdict::WA);
    CHECK(g[1].points == 4);  // a partial score is capped at the weight
    CHECK(g[1].message == "assert 1 == 2");
    CHECK(g[2].verdict == GradeVerdict::IE);  // a verdict the judge does not know
    CHECK(g[2].points == 0);
    CHECK(g[3].verdict == GradeVerdict::IE);  // never reported
    CHECK(g[3].message.find("did not report") != std::string::npos);

    JobResult stopped = fp_ok_run();
    stopped.verdict = Verdict::TLE;
    const auto s = function_test_grades(tests, "", stopped);
    CHECK(s[0].verdict == GradeVerdict::IE);
    CHECK(s[0].message.find("the grading stopped before this test") != std::string::npos);
    const auto e =
        function_test_grades(tests, R"({"event":"error","message":"SyntaxError in test_a.py"})", fp_ok_run());
    CHECK(e[0].message.find("SyntaxError in test_a.py") != std::string::npos);
  }

  TEST_CASE("a function run's container: root with CAP_SETUID and CAP_SETGID only, and room for the staff") {
    Limits l;
    l.memory_bytes = 64LL << 20;
    const auto f = container_spec("img", l, {}, Seccomp::Pyjudge, ContainerRole::FunctionRun);
    CHECK(f.at("User") == "0:0");
    CHECK(f.at("HostConfig").at("CapDrop") == nlohmann::json::array({"ALL"}));
    CHECK(f.at("HostConfig").at("CapAdd") == nlohmann::json::array({"SETUID", "SETGID"}));
    CHECK(f.at("HostConfig").at("Memory") == (64LL << 20) + protocol::kFunctionsHeadroomBytes);
    const auto s = container_spec("img", l, {});
    CHECK(s.at("User") == kSandboxUser);
    CHECK_FALSE(s.at("HostConfig").contains("CapAdd"));
    CHECK(s.at("HostConfig").at("Memory") == (64LL << 20));
  }

  TEST_CASE("a function run crosses the farm whole, and a bad one is refused") {
    TempDir t("ff");
    fp_put(t.path() / "m.py", "def f(): return 1\n");
    fp_put(t.path() / "test_a.py", "");
    Job j;
    j.id = "alice";
    j.script = t.path() / "m.py";
    j.module = "m";
    j.files = {{"staff/test_a.py", t.path() / "test_a.py"}, {"work/data/x.txt", t.path() / "test_a.py"}};
    auto fields = encode_unit("0123456789abcdef0123", "u0", true, {&j});
    REQUIRE(fields);
    FieldViews views;
    for (const auto& [k, v] : *fields) views.emplace_back(k, v);
    auto unit = decode_unit(views);
    REQUIRE_MESSAGE(bool(unit), unit.error().message);
    CHECK(unit->jobs[0].module == "m");
    CHECK_FALSE(unit->jobs[0].collect);
    CHECK(unit->jobs[0].files[1].first == "work/data/x.txt");

    auto meta = nlohmann::json::parse((*fields)[1].second);
    meta["jobs"][0]["files"][1][0] = "work/../staff/test_a.py";
    std::string bad = meta.dump();
    FieldViews bad_views = views;
    bad_views[1].second = bad;
    auto refused = decode_unit(bad_views);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("bad or repeated file name") != std::string::npos);
  }
}
