// Scoring packages: the groups' rules read from a package, and a
// submission's verdict and score worked out by them.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <fstream>

#include "judge/check/scoring.h"
#include "judge/formats/expectations.h"
#include "judge/formats/problem.h"
#include "judge/grade.h"
#include "judge/verify.h"

using namespace pyjudge;
using namespace pyjudge::judge;
namespace fs = std::filesystem;

namespace {

int next_scoring_dir = 0;  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables): unique folder names

struct ScoringPackage {
  fs::path dir = fs::temp_directory_path() /
                 ("pyjudge-scoring-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_scoring_dir++)) /
                 "pkg";
  explicit ScoringPackage(const std::string& problem_yaml = "problem_format_version: 2023-07-draft\ntype: scoring\n") {
    fs::create_directories(dir);
    put("problem.yaml", problem_yaml);
  }
  ~ScoringPackage() { fs::remove_all(dir.parent_path()); }
  ScoringPackage(const ScoringPackage&) = delete;
  ScoringPackage& operator=(const ScoringPackage&) = delete;
  ScoringPackage(ScoringPackage&&) = delete;
  ScoringPackage& operator=(ScoringPackage&&) = delete;
  void put(const std::string& name, const std::string& content) const {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name) << content;
  }
  void test(const std::string& name) const {
    put("data/" + name + ".in", "1\n");
    put("data/" + name + ".ans", "1\n");
  }
  Expected<Problem> load() const { return load_any_problem(dir, runner::Limits{}); }
  std::string error() const {
    auto p = load();
    return p ? "(loaded)" : p.error().message;
  }
};

// Two subtasks with min aggregation under a sum, the samples ignored: the
// shape of problems/triangle.
void two_subtasks(const ScoringPackage& d) {
  d.test("sample/1");
  for (const char* t : {"secret/g1/1", "secret/g1/2", "secret/g2/1", "secret/g2/2"}) d.test(t);
  d.put("data/testdata.yaml", "on_reject: continue\nrange: 0 100\ngrader_flags: ignore_sample\n");
  d.put("data/sample/testdata.yaml", "range: 0 0\naccept_score: 0\ngrader_flags: first_error\n");
  d.put("data/secret/testdata.yaml",
        "on_reject: continue\nrange: 0 100\ngrader_flags: first_error accept_if_any_accepted\n");
  d.put("data/secret/g1/testdata.yaml", "on_reject: break\naccept_score: 40\nrange: 0 40\ngrader_flags: min\n");
  d.put("data/secret/g2/testdata.yaml", "on_reject: break\naccept_score: 60\nrange: 0 60\ngrader_flags: min\n");
}

std::vector<TestOutcome> scoring_outcomes(const std::vector<std::string>& verdicts) {
  std::vector<TestOutcome> out;
  out.reserve(verdicts.size());
  for (const auto& v : verdicts) out.push_back({*grade_verdict_from_string(v), std::nullopt, std::nullopt});
  return out;
}

const GroupResult& group_named(const ScoredSubmission& s, const std::string& name) {
  for (const auto& g : s.groups)
    if (g.name == name) return g;
  FAIL("no group " << name);
  return s.groups.front();
}

}  // namespace

TEST_SUITE("scoring") {
  TEST_CASE("two min subtasks under a sum: the score is the groups' whose every test passed") {
    ScoringPackage d;
    two_subtasks(d);
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    REQUIRE(p->scoring);
    CHECK_FALSE(p->scoring->spec2025);
    CHECK(p->max_score() == 100);
    // Tests in name order: sample/1, secret/g1/1, secret/g1/2, secret/g2/1, secret/g2/2.
    auto all = score_submission(*p->scoring, scoring_outcomes({"AC", "AC", "AC", "AC", "AC"}));
    CHECK(all.verdict == GradeVerdict::AC);
    CHECK(all.score == 100);
    CHECK(all.max_score == 100);
    CHECK_FALSE(all.tests[0].counted);  // ignore_sample
    auto partial = score_submission(*p->scoring, scoring_outcomes({"WA", "AC", "AC", "TLE", "AC"}));
    CHECK(partial.verdict == GradeVerdict::AC);  // accept_if_any_accepted in secret
    CHECK(partial.score == 40);
    CHECK(group_named(partial, "secret/g2").verdict == GradeVerdict::TLE);
    CHECK(group_named(partial, "secret/g2").score == 0);
    CHECK(group_named(partial, "secret/g1").score == 40);
    CHECK_FALSE(partial.tests[4].counted);  // after g2's rejection: on_reject: break
    auto none = score_submission(*p->scoring, scoring_outcomes({"AC", "WA", "AC", "AC", "RE"}));
    CHECK(none.verdict == GradeVerdict::WA);  // first_error in secret
    CHECK(none.score == 0);
    CHECK_FALSE(none.tests[2].counted);
    CHECK(none.tests[4].counted);  // g2's first rejection counts
  }

  TEST_CASE("problemtools' defaults: break at the first rejection, worst error, a point per accepted test") {
    ScoringPackage d;
    for (const char* t : {"secret/1", "secret/2", "secret/3"}) d.test(t);
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    CHECK(p->max_score() == 3);
    auto s = score_submission(*p->scoring, scoring_outcomes({"AC", "TLE", "WA"}));
    CHECK(s.score == 1);
    CHECK(s.verdict == GradeVerdict::TLE);
    CHECK_FALSE(s.tests[2].counted);
  }

  TEST_CASE("worst_error picks the most severe verdict; avg, max and always_accept aggregate as named") {
    ScoringPackage d;
    for (const char* t : {"secret/1", "secret/2", "secret/3"}) d.test(t);
    d.put("data/secret/testdata.yaml", "on_reject: continue\ngrader_flags: worst_error avg\n");
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    auto s = score_submission(*p->scoring, scoring_outcomes({"WA", "AC", "RE"}));
    CHECK(s.verdict == GradeVerdict::RE);
    CHECK(doctest::Approx(s.score) == 1.0 / 3);
    d.put("data/secret/testdata.yaml", "on_reject: continue\ngrader_flags: max always_accept\n");
    p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    s = score_submission(*p->scoring, scoring_outcomes({"WA", "AC", "RE"}));
    CHECK(s.verdict == GradeVerdict::AC);
    CHECK(s.score == 1);
  }

  TEST_CASE("a validator's score.txt replaces accept_score; a wrong one is the judge's failure") {
    ScoringPackage d;
    for (const char* t : {"secret/1", "secret/2"}) d.test(t);
    d.put("data/secret/testdata.yaml", "on_reject: continue\nrange: 0 20\n");
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    auto o = scoring_outcomes({"AC", "AC"});
    o[0].score_file = "7.5\n";
    o[1].score_file = " 2 ";
    auto s = score_submission(*p->scoring, o);
    CHECK(s.score == 9.5);
    CHECK(s.error.empty());
    o[1].score_file = "lots";
    s = score_submission(*p->scoring, o);
    CHECK(s.verdict == GradeVerdict::IE);
    CHECK(s.tests[1].error.find("score.txt holds no valid score") != std::string::npos);
    o[1].score_file = "15";
    s = score_submission(*p->scoring, o);
    CHECK(s.verdict == GradeVerdict::IE);
    CHECK(s.error == "group secret scored 22.5, outside its range [0, 20]");
    o = scoring_outcomes({"WA", "AC"});
    o[0].score_file = "1";
    s = score_submission(*p->scoring, o);
    CHECK(s.tests[0].error == "the output validator rejected the output but wrote a score file");
    o = scoring_outcomes({"AC", "AC"});
    o[0].multiplier_file = "0.5";
    s = score_submission(*p->scoring, o);
    CHECK(s.tests[0].error.find("score_multiplier.txt for a test without a maximum score") != std::string::npos);
  }

  TEST_CASE("an interrupted or IE test that counts leaves the submission not graded; one that does not, does not") {
    ScoringPackage d;
    for (const char* t : {"secret/1", "secret/2", "secret/3"}) d.test(t);
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    CHECK(score_submission(*p->scoring, scoring_outcomes({"AC", "IE", "AC"})).verdict == GradeVerdict::IE);
    auto broken = scoring_outcomes({"AC", "AC", "AC"});
    broken[1].verdict = GradeVerdict::NotRun;
    CHECK(score_submission(*p->scoring, broken).verdict == GradeVerdict::NotRun);
    // After a WA in a break group, a later IE does not count.
    CHECK(score_submission(*p->scoring, scoring_outcomes({"WA", "IE", "AC"})).verdict == GradeVerdict::WA);
  }

  TEST_CASE("2025-09 keys: max_score and score_aggregation; the samples count for nothing") {
    ScoringPackage d("problem_format_version: 2025-09\ntype: scoring\n");
    d.test("sample/1");
    for (const char* t : {"secret/a/1", "secret/a/2", "secret/b/1", "secret/b/2", "secret/c/1", "secret/c/2"})
      d.test(t);
    d.put("data/secret/a/test_group.yaml", "max_score: 20\n");  // pass-fail by default
    d.put("data/secret/b/test_group.yaml", "max_score: 30\nscore_aggregation: sum\n");
    d.put("data/secret/c/test_group.yaml", "max_score: 50\nscore_aggregation: min\n");
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    REQUIRE(p->scoring);
    CHECK(p->scoring->spec2025);
    CHECK(p->max_score() == 100);
    // sample/1, a/1, a/2, b/1, b/2, c/1, c/2
    auto o = scoring_outcomes({"WA", "AC", "WA", "AC", "WA", "AC", "AC"});
    o[5].multiplier_file = "0.5";
    o[6].score_file = "40";
    auto s = score_submission(*p->scoring, o);
    CHECK(s.error.empty());
    CHECK(group_named(s, "secret/a").score == 0);   // pass-fail: a test failed
    CHECK(group_named(s, "secret/b").score == 15);  // sum: one of two tests of 15
    CHECK(group_named(s, "secret/c").score == 25);  // min(0.5 x 50, 40)
    CHECK(s.score == 40);
    CHECK(s.verdict == GradeVerdict::WA);  // the first rejection, the sample's
    CHECK(s.tests[2].counted);             // no on_reject in 2025-09: every test counts
    o = scoring_outcomes({"AC", "AC", "AC", "AC", "AC", "AC", "AC"});
    o[6].score_file = "60";
    s = score_submission(*p->scoring, o);
    CHECK(s.tests[6].error == "score.txt gives 60, more than the test's maximum 50");
    o = scoring_outcomes({"AC", "AC", "AC", "AC", "AC", "AC", "AC"});
    o[1].score_file = "20";
    CHECK(score_submission(*p->scoring, o).tests[1].error.find("pass-fail") != std::string::npos);
  }

  TEST_CASE("2025-09: secret without groups is one sum group of 100; unbounded needs score.txt") {
    ScoringPackage d("problem_format_version: 2025-09\ntype: scoring\n");
    for (const char* t : {"secret/1", "secret/2", "secret/3", "secret/4"}) d.test(t);
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    CHECK(score_submission(*p->scoring, scoring_outcomes({"AC", "WA", "AC", "AC"})).score == 75);
    d.put("data/secret/test_group.yaml", "max_score: unbounded\n");
    p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    CHECK(std::isinf(p->max_score()));
    auto o = scoring_outcomes({"AC", "AC", "AC", "AC"});
    for (auto& t : o) t.score_file = "1000";
    CHECK(score_submission(*p->scoring, o).score == 4000);
    o[3].score_file.reset();
    CHECK(score_submission(*p->scoring, o).tests[3].error.find("wrote no score.txt") != std::string::npos);
  }

  TEST_CASE("bad scoring settings are refused with the file and the key") {
    ScoringPackage d;
    d.test("secret/g/1");
    const std::string settings = (d.dir / "data/secret/g/testdata.yaml").string();
    d.put("data/secret/g/testdata.yaml", "on_reject: stop\n");
    CHECK(d.error() == settings + ": on_reject must be break or continue, not 'stop'");
    d.put("data/secret/g/testdata.yaml", "range: 10\n");
    CHECK(d.error() == settings + ": range must be two numbers, 'LOW HIGH' (inf allowed), not '10'");
    d.put("data/secret/g/testdata.yaml", "range: 5 1\n");
    CHECK(d.error() == settings + ": range: its low end is above its high end");
    d.put("data/secret/g/testdata.yaml", "grader_flags: median\n");
    CHECK(d.error() == settings + ": grader_flags: 'median' is not a flag of the default grader");
    d.put("data/secret/g/testdata.yaml", "grader_flags: ignore_sample\n");
    CHECK(d.error().find("ignore_sample is allowed at the top level") != std::string::npos);
    d.put("data/secret/g/testdata.yaml", "grading: custom\n");
    CHECK(d.error() == settings + ": grading: custom graders are not supported by pyjudge");
    d.put("data/secret/g/testdata.yaml", "accept_score: many\n");
    CHECK(d.error() == settings + ": accept_score must be a number, not 'many'");
    d.put("data/secret/g/testdata.yaml", "require_pass: sample\n");
    CHECK(d.error() == settings + ": require_pass is not supported by pyjudge");
    d.put("data/secret/g/testdata.yaml", "max_score: 10\naccept_score: 3\n");
    CHECK(d.error().find("in one package; use one set of scoring keys") != std::string::npos);
    d.put("data/secret/g/testdata.yaml", "max_score: 1.5\n");
    CHECK(d.error().find("max_score must be a whole number >= 0 or unbounded") != std::string::npos);
    d.put("data/secret/g/testdata.yaml", "score_aggregation: avg\n");
    CHECK(d.error().find("score_aggregation must be pass-fail, sum or min, not 'avg'") != std::string::npos);
    d.put("data/secret/g/testdata.yaml", "score_aggregation: sum\n");
    CHECK(d.error().find("needs a max_score (secret's is bounded)") != std::string::npos);
    d.put("data/secret/g/testdata.yaml", "");
    d.put("problem.yaml", "type: scoring\ngrading:\n  objective: min\n");
    CHECK(d.error().find("grading.objective 'min' is not supported by pyjudge") != std::string::npos);
    d.put("problem.yaml", "type: scoring\ngrading:\n  custom_scoring: true\n");
    CHECK(d.error().find("grading.custom_scoring is not supported by pyjudge") != std::string::npos);
    d.put("problem.yaml", "type: pass-fail\ngrading:\n  objective: max\n");
    CHECK(d.error().find("grading.objective is for scoring problems (type: scoring) only") != std::string::npos);
    d.put("problem.yaml", "type: pass-fail\ngrading:\n  show_test_data_groups: true\n  on_reject: first_error\n");
    CHECK(d.error() == "(loaded)");
    d.put("problem.yaml", "type: scoring\ngrading:\n  on_reject: sometimes\n");
    CHECK(d.error().find("grading.on_reject must be first_error, worst_error or grade, not 'sometimes'") !=
          std::string::npos);
  }

  TEST_CASE("legacy problem.yaml grading sets the root's defaults") {
    ScoringPackage d("type: scoring\ngrading:\n  objective: max\n  accept_score: 5\n  on_reject: grade\n");
    for (const char* t : {"secret/1", "secret/2"}) d.test(t);
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    auto s = score_submission(*p->scoring, scoring_outcomes({"WA", "AC"}));
    CHECK(s.score == 5);
    CHECK(s.tests[1].counted);
  }

  TEST_CASE(
      "verify: accepted needs the full score, partially_accepted an AC short of it, submissions.yaml "
      "an exact one") {
    ScoringPackage d;
    two_subtasks(d);
    d.put("submissions/accepted/a.py", "print(1)\n");
    d.put("submissions/partially_accepted/p.py", "print(1)\n");
    d.put("submissions/partially_accepted/q.py", "print(1)\n");
    d.put("submissions/submissions.yaml", "partially_accepted/q.py:\n  score: [50, 70]\n  authors: someone\n");
    auto p = d.load();
    REQUIRE_MESSAGE(p, d.error());
    auto samples = sample_submissions(*p);
    REQUIRE_MESSAGE(samples, samples.error().message);
    REQUIRE(samples->size() == 3);
    const auto graded = [&p](const std::vector<std::string>& v) {
      SubmissionGrade g;
      for (const auto& x : v) {
        TestGrade t;
        t.verdict = *grade_verdict_from_string(x);
        g.tests.push_back(t);
      }
      total_up(*p, g);
      return g;
    };
    const Expectation& accepted = (*samples)[0].expect;
    const Expectation& p_plain = (*samples)[1].expect;
    const Expectation& q_ranged = (*samples)[2].expect;
    CHECK_FALSE(unmet(accepted, graded({"AC", "AC", "AC", "AC", "AC"})));
    CHECK(*unmet(accepted, graded({"AC", "AC", "AC", "WA", "AC"})) == "got AC with 40 of 100, not the full score");
    CHECK_FALSE(unmet(p_plain, graded({"AC", "AC", "AC", "WA", "AC"})));
    CHECK(*unmet(p_plain, graded({"AC", "AC", "AC", "AC", "AC"})) ==
          "scored the full 100, but partially_accepted must score less");
    CHECK(*unmet(p_plain, graded({"AC", "WA", "AC", "WA", "AC"})) == "got WA, but partially_accepted must be AC");
    CHECK(*unmet(q_ranged, graded({"AC", "AC", "AC", "WA", "AC"})) == "scored 40, not in [50, 70]");
    d.put("submissions/submissions.yaml", "accepted:\n  permitted: [AC]\n");
    CHECK(sample_submissions(*load_any_problem(d.dir, runner::Limits{}))
              .error()
              .message.find("'permitted' is not supported by pyjudge (score only)") != std::string::npos);
  }
}
