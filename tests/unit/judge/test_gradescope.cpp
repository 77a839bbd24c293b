#include <doctest/doctest.h>

#include <set>

#include "judge/reports/gradescope.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;

namespace {

GradeReport one_submission() {
  GradeReport r;
  r.problem.title = "Pair sum";
  r.problem.name = "pairsum";
  for (const auto& [name, kind] : {std::pair{"sample/1", TestKind::Sample}, {"secret/01", TestKind::Secret}}) {
    TestCase t;
    t.name = name;
    t.kind = kind;
    r.problem.tests.push_back(t);
  }
  SubmissionGrade g;
  g.submission.name = "student";
  TestGrade a;
  a.test = "sample/1";
  a.verdict = GradeVerdict::AC;
  a.points = 1;
  a.max_points = 1;
  a.run.wall_time = 0.5;
  a.time = 0.04;  // the judged time (CPU seconds), not the wall time
  TestGrade b;
  b.test = "secret/01";
  b.verdict = GradeVerdict::WA;
  b.max_points = 1;
  b.message = "token 1: expected '42', got '41'";
  b.run.wall_time = 0.5;
  b.time = 0.05;
  g.tests = {a, b};
  g.score = 1;
  g.max_score = 2;
  g.verdict = GradeVerdict::WA;
  r.submissions.push_back(g);
  r.seconds = 1.5;
  return r;
}

// The fields Gradescope's specification gives results.json, with their
// types and values.
void check_shape(const nlohmann::json& j) {
  static const std::set<std::string> kTop = {"score",      "execution_time",    "output", "output_format",
                                             "visibility", "stdout_visibility", "tests",  "extra_data"};
  static const std::set<std::string> kTest = {"score",       "max_score",  "status",    "name",
                                              "name_format", "number",     "output",    "output_format",
                                              "tags",        "visibility", "extra_data"};
  static const std::set<std::string> kVisibility = {"hidden", "after_due_date", "after_published", "visible"};
  REQUIRE(j.is_object());
  for (const auto& [k, v] : j.items()) CHECK_MESSAGE(kTop.contains(k), k);
  CHECK(j["score"].is_number());
  CHECK(j["execution_time"].is_number());
  CHECK(j["output"].is_string());
  CHECK(kVisibility.contains(j["visibility"].get<std::string>()));
  CHECK(kVisibility.contains(j["stdout_visibility"].get<std::string>()));
  REQUIRE(j["tests"].is_array());
  for (const auto& t : j["tests"]) {
    for (const auto& [k, v] : t.items()) CHECK_MESSAGE(kTest.contains(k), k);
    CHECK(t["name"].is_string());
    CHECK(t["number"].is_string());
    CHECK(t["score"].is_number());
    CHECK(t["max_score"].is_number());
    CHECK(t["output"].is_string());
    CHECK((t["status"] == "passed" || t["status"] == "failed"));
    CHECK(kVisibility.contains(t["visibility"].get<std::string>()));
  }
}

}  // namespace

TEST_SUITE("judge/gradescope") {
  TEST_CASE("results.json: Gradescope's fields, scores per test, visibility from sample or secret") {
    const auto j = report_gradescope(one_submission());
    check_shape(j);
    CHECK(j["score"] == 1);
    CHECK(j["execution_time"] == 1.5);
    CHECK(j["output"] == "Pair sum: 1 of 2 tests passed; verdict WA.");
    REQUIRE(j["tests"].size() == 2);
    CHECK(j["tests"][0]["name"] == "sample/1");
    CHECK(j["tests"][0]["status"] == "passed");
    CHECK(j["tests"][0]["score"] == 1);
    CHECK(j["tests"][0]["max_score"] == 1);
    CHECK(j["tests"][0]["visibility"] == "visible");
    CHECK(j["tests"][0]["output"] == "AC in 0.04 s");
    CHECK(j["tests"][1]["status"] == "failed");
    CHECK(j["tests"][1]["score"] == 0);
    CHECK(j["tests"][1]["visibility"] == "after_published");
    // A secret test's output names the verdict, never the checker's message.
    CHECK(j["tests"][1]["output"] == "WA in 0.05 s");
  }

  TEST_CASE("a sample's message is shown; an IE says whose failure it is") {
    auto r = one_submission();
    r.problem.tests[1].kind = TestKind::Sample;
    r.submissions[0].tests[1].verdict = GradeVerdict::IE;
    r.submissions[0].graded = false;
    r.submissions[0].verdict = GradeVerdict::IE;
    const auto j = report_gradescope(r);
    check_shape(j);
    CHECK(j["tests"][1]["visibility"] == "visible");
    CHECK(j["tests"][1]["output"].get<std::string>().find("IE in 0.05 s: token 1: expected '42'") == 0);
    CHECK(j["tests"][1]["output"].get<std::string>().find("the judge failed on this test") != std::string::npos);
    CHECK(j["output"].get<std::string>().find("could not be fully graded") != std::string::npos);
  }
}
