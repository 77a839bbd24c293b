#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>

#include "judge/formats/expectations.h"
#include "judge/formats/package.h"
#include "judge/formats/validator_program.h"
#include "judge/validator/validator_run.h"
#include "judge/verify.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;
namespace fs = std::filesystem;

namespace {

int next_dir = 0;

struct PackageDir {
  fs::path dir = fs::temp_directory_path() /
                 ("pyjudge-package-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_dir++)) / "pkg";
  PackageDir() { fs::create_directories(dir); }
  ~PackageDir() { fs::remove_all(dir.parent_path()); }
  void put(const std::string& name, const std::string& content) const {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name) << content;
  }
  void test(const std::string& name, const std::string& in = "1\n", const std::string& ans = "1\n") const {
    put("data/" + name + ".in", in);
    put("data/" + name + ".ans", ans);
  }
  Expected<Problem> load(const Limits& defaults = Limits{}) const { return load_any_problem(dir, defaults); }
  std::string error() const {
    auto p = load();
    return p ? "(loaded)" : p.error().message;
  }
};

std::vector<std::string> names(const Problem& p) {
  std::vector<std::string> out;
  for (const auto& t : p.tests) out.push_back(t.name);
  return out;
}

SubmissionGrade graded(const std::vector<std::string>& verdicts) {
  SubmissionGrade g;
  for (const auto& v : verdicts) {
    TestGrade t;
    t.test = "t" + std::to_string(g.tests.size());
    t.verdict = *grade_verdict_from_string(v);
    g.tests.push_back(t);
  }
  g.verdict = GradeVerdict::AC;
  for (const auto& v : verdicts)
    if (v != "AC") {
      g.verdict = *grade_verdict_from_string(v);
      break;
    }
  return g;
}

}  // namespace

TEST_SUITE("judge/package") {
  TEST_CASE("legacy: validator_flags, .timelimit, memory in MiB, groups in the format's order") {
    PackageDir d;
    d.put("problem.yaml",
          "name: Demo\nvalidator_flags: float_tolerance 1e-6 case_sensitive\n"
          "limits:\n  memory: 128\n  output: 2\n  time_multiplier: 5\n");
    d.put(".timelimit", "3.5\n");
    d.test("sample/2");
    d.test("sample/10");
    d.test("secret/b/1");
    d.test("secret/a/2");
    d.test("secret/a.in-group/1");  // '.' sorts before '/'
    d.test("secret/a/1");
    d.put("data/secret/b/testdata.yaml", "output_validator_flags: space_change_sensitive\n");
    d.put("data/secret/lonely.ans", "no input: not a test\n");
    auto p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    CHECK(p->format == ProblemFormat::KattisLegacy);
    CHECK(p->title == "Demo");
    CHECK(p->spec_file == d.dir / "problem.yaml");
    // Judged on CPU time; the wall clock a backstop at 3x + 2 s.
    CHECK(p->limits.cpu_time_limit_s == doctest::Approx(3.5));
    CHECK(p->limits.wall_limit_s == doctest::Approx(12.5));
    CHECK(p->limits.memory_bytes == 128LL << 20);
    CHECK(p->limits.stdout_limit_bytes == 2LL << 20);
    CHECK(p->checker.kind == CheckerKind::Package);
    CHECK(names(*p) == std::vector<std::string>{"sample/10", "sample/2", "secret/a.in-group/1", "secret/a/1",
                                                "secret/a/2", "secret/b/1"});
    CHECK(p->tests[0].kind == TestKind::Sample);
    CHECK(p->tests[5].kind == TestKind::Secret);
    CHECK(p->tests[0].id == "sample.10");
    CHECK(p->tests[0].output == d.dir / "data/sample/10.ans");
    // problem.yaml's flags for every test; the group's testdata.yaml adds its own.
    CHECK(p->tests[3].validator_args == std::vector<std::string>{"float_tolerance", "1e-6", "case_sensitive"});
    CHECK(p->tests[3].flags.case_sensitive);
    CHECK_FALSE(p->tests[3].flags.space_change_sensitive);
    CHECK(p->tests[5].flags.space_change_sensitive);
    CHECK(p->tests[5].flags.case_sensitive);
    CHECK(p->tests[5].flags.abs_tolerance.value_or(0) == doctest::Approx(1e-6));
  }

  TEST_CASE("legacy: a testdata.yaml that sets no flags keeps those above it") {
    PackageDir d;
    d.put("problem.yaml", "name: Demo\n");
    d.put("data/secret/testdata.yaml", "output_validator_flags: case_sensitive\n");
    d.put("data/secret/g/testdata.yaml", "on_reject: continue\n");
    d.put("data/secret/h/testdata.yaml", "output_validator_flags:\n  name: default\n  flags: float_tolerance 1\n");
    d.test("secret/1");
    d.test("secret/g/1");
    d.test("secret/h/1");
    auto p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    CHECK(p->tests[0].flags.case_sensitive);
    CHECK(p->tests[1].flags.case_sensitive);  // g's file sets no flags: secret's stay
    CHECK(p->tests[2].flags.floats());
  }

  TEST_CASE("2023-07: limits.time_limit, per-key settings, a test's own yaml, a Python validator") {
    PackageDir d;
    d.put("problem.yaml",
          "problem_format_version: 2023-07-draft\nname:\n  de: Beispiel\n  en: Example\n"
          "uuid: 1\ntype: pass-fail\nlimits:\n  time_limit: 1.5\n  memory: 64\n");
    d.put(".timelimit", "9\n");  // limits.time_limit wins
    d.put("output_validator/validate.py", "import sys\nsys.exit(42)\n");
    d.put("output_validator/helper.py", "X = 1\n");
    d.put("output_validator/notes.txt", "data files travel too\n");
    d.put("data/secret/test_group.yaml", "output_validator_args: [--strict]\n");
    d.put("data/secret/g/test_group.yaml", "full_feedback: true\n");
    d.put("data/secret/g/2.yaml", "output_validator_args: --loose --really\n");
    d.test("sample/1");
    d.test("secret/g/1");
    d.test("secret/g/2");
    auto p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    CHECK(p->format == ProblemFormat::Kattis2023);
    CHECK(p->title == "Example");
    CHECK(p->limits.cpu_time_limit_s == doctest::Approx(1.5));
    CHECK(p->limits.wall_limit_s == doctest::Approx(6.5));
    CHECK(p->limits.memory_bytes == 64LL << 20);
    CHECK(p->checker.kind == CheckerKind::Validator);
    CHECK(p->checker.validator.entry == "validate.py");
    CHECK(p->checker.validator.files.size() == 3);
    CHECK(p->tests[0].validator_args.empty());
    CHECK(p->tests[1].validator_args == std::vector<std::string>{"--strict"});  // inherited past g's file
    CHECK(p->tests[2].validator_args == std::vector<std::string>{"--loose", "--really"});
  }

  TEST_CASE("validator programs: a folder with __main__.py, a legacy single file") {
    PackageDir d;
    d.put("problem.yaml", "problem_format_version: 2023-07-draft\nname: X\n");
    d.put("output_validator/__main__.py", "import sys\nsys.exit(42)\n");
    d.put("output_validator/__init__.py", "");
    d.test("secret/1");
    auto p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    CHECK(p->checker.validator.entry.empty());
    PackageDir e;
    e.put("problem.yaml", "name: X\nvalidation: custom\n");
    e.put("output_validators/check.py", "import sys\nsys.exit(42)\n");
    e.test("secret/1");
    auto q = e.load();
    REQUIRE_MESSAGE(bool(q), (q ? "" : q.error().message));
    CHECK(q->checker.kind == CheckerKind::Validator);
    CHECK(q->checker.validator.entry == "check.py");
    // validation: default keeps the default validator even with a folder.
    e.put("problem.yaml", "name: X\nvalidation: default\n");
    CHECK(e.load()->checker.kind == CheckerKind::Package);
  }

  TEST_CASE("errors name the file, and the key where there is one") {
    PackageDir d;
    d.test("secret/1");
    d.put("problem.yaml", "name: [unclosed\n");
    INFO(d.error());
    CHECK(d.error().rfind((d.dir / "problem.yaml").string() + ":", 0) == 0);
    CHECK(d.error().find(": not valid YAML: ") != std::string::npos);
    d.put("problem.yaml", "- a list\n");
    CHECK(d.error() == (d.dir / "problem.yaml").string() + ": must be a YAML mapping (key: value lines)");
    d.put("problem.yaml", "problem_format_version: 2049-01\n");
    CHECK(d.error().find("problem_format_version '2049-01' is not one pyjudge reads") != std::string::npos);
    d.put("problem.yaml", "name: X\nvalidation: custom interactive\n");
    // Interactive problems are judged, with their validator.
    CHECK(d.error().find("asks for a custom output validator, but output_validator/ or output_validators/ holds "
                         "none") != std::string::npos);
    d.put("problem.yaml", "problem_format_version: 2023-07-draft\ntype: interactive\n");
    CHECK(d.error().find("an interactive problem needs its output validator") != std::string::npos);
    d.put("problem.yaml", "problem_format_version: 2023-07-draft\ntype: submit-answer\n");
    CHECK(d.error().find("a 'submit-answer' problem; pyjudge judges pass-fail, scoring and interactive problems") !=
          std::string::npos);
    d.put("problem.yaml", "problem_format_version: 2023-07-draft\ntype: multi-pass\n");
    CHECK(d.error().find("a 'multi-pass' problem") != std::string::npos);
    d.put("problem.yaml", "name: X\nlimits:\n  memory: lots\n");
    CHECK(d.error() == (d.dir / "problem.yaml").string() + ": limits.memory must be a number > 0, not 'lots'");
    d.put("problem.yaml", "problem_format_version: 2023-07-draft\nlimits:\n  time_limit: -1\n");
    CHECK(d.error().find("limits.time_limit must be a number > 0") != std::string::npos);
    d.put("problem.yaml", "name: X\nvalidator_flags: float_tolerance\n");
    CHECK(d.error().find("test secret/1: validator flag 'float_tolerance' needs a number") != std::string::npos);
    d.put("problem.yaml", "name: X\nvalidation: custom\n");
    CHECK(d.error().find("asks for a custom output validator, but output_validator/ or output_validators/ holds "
                         "none") != std::string::npos);
    // A legacy package with validation: default never looks at output_validators/.
    d.put("problem.yaml", "name: X\nvalidation: default\n");
    d.put("output_validators/a/a.cpp", "");
    d.put("output_validators/b/b.cpp", "");
    CHECK(d.error() == "(loaded)");
    fs::remove_all(d.dir / "output_validators");
    // A map where a string was expected, or a missing flags key: clear errors, no exception.
    d.put("problem.yaml", "name: X\n");
    d.put("data/secret/testdata.yaml", "output_validator_flags:\n  name: default\n");
    CHECK(d.error() == "(loaded)");
    d.put("data/secret/testdata.yaml", "output_validator_flags: [1, [2]]\n");
    CHECK(d.error().find("output_validator_flags must be a list of strings") != std::string::npos);
    fs::remove(d.dir / "data/secret/testdata.yaml");
    d.put("problem.yaml", "name: X\nlimits: {memory: {a: 1}}\n");
    CHECK(d.error().find("limits.memory must be a number > 0") != std::string::npos);
    d.put("problem.yaml", "name: X\n");
    d.put(".timelimit", "soon\n");
    CHECK(d.error() == (d.dir / ".timelimit").string() + " must be a number > 0, not 'soon'");
    fs::remove(d.dir / ".timelimit");
    d.put("data/secret/2.in", "no answer\n");
    CHECK(d.error() == (d.dir / "data/secret/2.ans").string() + ": missing (the answer of " +
                           (d.dir / "data/secret/2.in").string() + ")");
    fs::remove(d.dir / "data/secret/2.in");
    fs::remove_all(d.dir / "data");
    CHECK(d.error() == (d.dir / "data").string() + ": missing (a package keeps its tests there)");
    d.put("data/secret/readme.txt", "no tests\n");
    CHECK(d.error().find("no tests (no .in files under sample/ or secret/)") != std::string::npos);
  }

  TEST_CASE("C and C++ validators: a single source, or a folder of sources and headers, built by pyjudge") {
    PackageDir d;
    d.test("secret/1");
    d.put("problem.yaml", "name: X\nvalidation: custom\n");
    d.put("output_validators/v/validate.cpp", "#include \"validate.h\"\nint main() { return 42; }\n");
    d.put("output_validators/v/validate.h", "#pragma once\n");
    d.put("output_validators/v/util.c", "int f(void) { return 1; }\n");
    auto p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    CHECK(p->checker.kind == CheckerKind::Validator);
    CHECK(p->checker.validator.compiled);
    CHECK(p->checker.validator.root == d.dir / "output_validators/v");
    CHECK(p->checker.validator.files.size() == 3);
    CHECK(p->checker.validator.entry.empty());
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/check.cc", "int main() { return 42; }\n");
    p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    CHECK(p->checker.validator.compiled);
    CHECK(p->checker.validator.files == std::vector<fs::path>{d.dir / "output_validators/check.cc"});
    // 2023-07's output_validator/ holding one folder (as problemtools' examples do): that folder.
    fs::remove_all(d.dir / "output_validators");
    d.put("problem.yaml", "problem_format_version: 2023-07-draft\nname: X\n");
    d.put("output_validator/guess_validator/validate.cc", "int main() { return 42; }\n");
    d.put("output_validator/guess_validator/validate.h", "\n");
    p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    CHECK(p->checker.validator.root == d.dir / "output_validator/guess_validator");
    CHECK(p->checker.validator.files.size() == 2);
    fs::remove_all(d.dir / "output_validator");
    d.put("problem.yaml", "name: X\nvalidation: custom\n");
    // A Python one is not compiled.
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/check.py", "import sys\nsys.exit(42)\n");
    CHECK_FALSE(d.load()->checker.validator.compiled);
    CHECK(is_c_source("a.c"));
    CHECK(is_c_source("a.cpp"));
    CHECK(is_c_source("a.C"));
    CHECK_FALSE(is_c_source("a.h"));
    CHECK_FALSE(is_c_source("a.py"));
  }

  TEST_CASE("a validator in another language, or one pyjudge cannot start, is an error naming the file") {
    PackageDir d;
    d.test("secret/1");
    d.put("problem.yaml", "name: X\nvalidation: custom\n");
    d.put("output_validators/v/Validate.java", "class Validate {}\n");
    CHECK(d.error() == (d.dir / "output_validators/v/Validate.java").string() +
                           ": an output validator in a language pyjudge does not run (Python 3, C and C++ only)");
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/v/build", "#!/bin/sh\n");
    CHECK(d.error().find("output_validators/v/build: an output validator with the format's build or run script") !=
          std::string::npos);
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/v/a.py", "");
    d.put("output_validators/v/b.cpp", "");
    CHECK(d.error().find("output_validators/v: an output validator with both Python and C or C++ sources") !=
          std::string::npos);
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/v/a.py", "");
    d.put("output_validators/v/b.h", "");
    CHECK(d.error().find("b.h: a C or C++ header in an output validator with no source") != std::string::npos);
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/v/a.cpp", "");
    d.put("output_validators/v/validator_bin", "");
    CHECK(d.error().find("the name 'validator_bin' is taken by pyjudge") != std::string::npos);
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/v/a.py", "");
    d.put("output_validators/v/b.py", "");
    CHECK(d.error().find("2 .py files and none is __main__.py, validate.py or v.py") != std::string::npos);
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/one/a.py", "");
    d.put("output_validators/two/a.py", "");
    CHECK(d.error().find("2 output validators; pyjudge runs one") != std::string::npos);
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/v.py", "#!/usr/bin/env python2\nprint 'x'\n");
    CHECK(d.error().find("v.py: an output validator in Python 2") != std::string::npos);
    fs::remove_all(d.dir / "output_validators");
    d.put("output_validators/v/judge_input", "");
    d.put("output_validators/v/v.py", "");
    CHECK(d.error().find("the name 'judge_input' is taken by pyjudge") != std::string::npos);
  }

  TEST_CASE("input validators: each program in input_validators/, with the arguments each test's group gives") {
    PackageDir d;
    d.put("problem.yaml", "problem_format_version: 2023-07-draft\nname: X\n");
    d.put("input_validators/range.py", "import sys\nsys.exit(42)\n");
    d.put("input_validators/shape/shape.cpp", "int main() { return 42; }\n");
    d.put("data/secret/test_group.yaml", "input_validator_args: [--max, '10']\n");
    d.put("data/secret/big/test_group.yaml", "input_validator_args:\n  range: [--max, '1000']\n  shape: [--wide]\n");
    d.put("data/secret/big/2.yaml", "input_validator_args: [--only-this]\n");
    d.test("sample/1");
    d.test("secret/1");
    d.test("secret/big/1");
    d.test("secret/big/2");
    auto p = d.load();
    REQUIRE_MESSAGE(bool(p), (p ? "" : p.error().message));
    REQUIRE(p->input_validators.size() == 2);
    CHECK(p->input_validators[0].entry == "range.py");
    CHECK(p->input_validators[1].compiled);
    const fs::path range = d.dir / "input_validators/range.py";
    const fs::path shape = d.dir / "input_validators/shape";
    using Args = std::vector<std::string>;
    CHECK(p->tests[0].input_args.for_program(range).empty());
    CHECK(p->tests[1].input_args.for_program(range) == Args{"--max", "10"});
    CHECK(p->tests[1].input_args.for_program(shape) == Args{"--max", "10"});
    CHECK(p->tests[2].input_args.for_program(range) == Args{"--max", "1000"});  // by its stem
    CHECK(p->tests[2].input_args.for_program(shape) == Args{"--wide"});
    CHECK(p->tests[3].input_args.for_program(shape) == Args{"--only-this"});  // the test's own yaml
    // Legacy: input_validator_flags, a string.
    PackageDir l;
    l.put("problem.yaml", "name: X\n");
    l.put("input_validators/v.py", "");
    l.put("data/secret/testdata.yaml", "input_validator_flags: --max 5\n");
    l.test("secret/1");
    auto q = l.load();
    REQUIRE_MESSAGE(bool(q), (q ? "" : q.error().message));
    CHECK(q->tests[0].input_args.for_program(l.dir / "input_validators/v.py") == Args{"--max", "5"});
    l.put("input_validators/V.java", "");
    CHECK(l.error().find("V.java: an input validator in a language pyjudge does not run") != std::string::npos);
  }

  TEST_CASE("long or clashing test paths get ids from their place") {
    PackageDir d;
    d.put("problem.yaml", "name: X\n");
    d.test("secret/a-very-long-group-name-for-testing/case-with-a-long-name");
    d.test("secret/x y");  // a space: not id-safe
    d.test("secret/ok");
    auto p = d.load();
    REQUIRE(bool(p));
    CHECK(p->tests[0].id == "t1");
    CHECK(p->tests[1].id == "secret.ok");
    CHECK(p->tests[2].id == "t3");
    CHECK(p->tests[2].name == "secret/x y");
  }

  TEST_CASE("the shipped packages load") {
    auto mean = load_any_problem(fs::path(PYJUDGE_PROBLEMS) / "mean", Limits{});
    REQUIRE_MESSAGE(bool(mean), (mean ? "" : mean.error().message));
    CHECK(mean->format == ProblemFormat::KattisLegacy);
    CHECK(mean->limits.cpu_time_limit_s == doctest::Approx(2));
    CHECK(mean->limits.wall_limit_s == doctest::Approx(8));
    CHECK(mean->tests.front().flags.abs_tolerance.value_or(0) == doctest::Approx(1e-6));
    CHECK(mean->tests.at(2).name == "secret/large/01-random");
    CHECK(mean->tests.at(2).flags.abs_tolerance.value_or(0) == doctest::Approx(1e-4));  // large/testdata.yaml
    CHECK(mean->tests.back().name == "secret/small/03-tiny");
    CHECK(mean->tests.back().flags.abs_tolerance.value_or(0) == doctest::Approx(1e-6));
    auto pairsum = load_any_problem(fs::path(PYJUDGE_PROBLEMS) / "pairsum", Limits{});
    REQUIRE_MESSAGE(bool(pairsum), (pairsum ? "" : pairsum.error().message));
    CHECK(pairsum->format == ProblemFormat::Kattis2023);
    CHECK(pairsum->checker.kind == CheckerKind::Validator);
    auto samples = sample_submissions(*pairsum);
    REQUIRE(bool(samples));
    std::set<std::string> folders;
    for (const auto& s : *samples) folders.insert(s.expect.want);
    CHECK(folders ==
          std::set<std::string>{"accepted", "rejected", "run_time_error", "time_limit_exceeded", "wrong_answer"});
  }
}

TEST_SUITE("judge/expectations") {
  TEST_CASE("package folders: every test's verdict permitted, and some test's required") {
    const auto rule = [](const std::string& folder) {
      PackageDir d;
      d.put("problem.yaml", "name: X\n");
      d.test("secret/1");
      d.put("submissions/" + folder + "/s.py", "print(1)\n");
      auto p = d.load();
      auto s = sample_submissions(*p);
      REQUIRE(bool(s));
      REQUIRE(s->size() == 1);
      CHECK(s->front().submission.name == folder.substr(0, 32) + ".s");
      return s->front().expect;
    };
    const auto wa = rule("wrong_answer");
    CHECK_FALSE(unmet(wa, graded({"AC", "WA", "AC"})));
    CHECK(*unmet(wa, graded({"AC", "AC"})) == "no test got WA");
    CHECK(*unmet(wa, graded({"WA", "TLE"})) == "test t1 got TLE, which wrong_answer may not");
    const auto tle = rule("time_limit_exceeded");
    CHECK_FALSE(unmet(tle, graded({"WA", "TLE"})));
    CHECK(unmet(tle, graded({"RE", "TLE"})));
    const auto rte = rule("run_time_error");
    CHECK_FALSE(unmet(rte, graded({"AC", "MLE"})));  // MLE and OLE are run-time errors in the format
    CHECK_FALSE(unmet(rte, graded({"OLE"})));
    CHECK_FALSE(unmet(rule("accepted"), graded({"AC", "AC"})));
    CHECK(unmet(rule("accepted"), graded({"AC", "WA"})));
    CHECK_FALSE(unmet(rule("rejected"), graded({"AC", "TLE"})));
    CHECK(unmet(rule("rejected"), graded({"AC"})));
    auto ie = graded({"AC", "IE"});
    ie.graded = false;
    ie.verdict = GradeVerdict::IE;
    CHECK(*unmet(rule("accepted"), ie) == "not graded (IE)");
  }

  TEST_CASE("a package's submissions in other languages, and folders, are skipped with a note each") {
    PackageDir d;
    d.put("problem.yaml", "name: X\n");
    d.test("secret/1");
    d.put("submissions/accepted/a.py", "print(1)\n");
    d.put("submissions/accepted/a.cpp", "int main() {}\n");
    d.put("submissions/accepted/README.md", "notes\n");
    d.put("submissions/wrong_answer/W.java", "class W {}\n");
    d.put("submissions/wrong_answer/multi/main.py", "print(2)\n");
    d.put("submissions/run_time_error/c.c", "int main() { return 1; }\n");
    auto p = d.load();
    REQUIRE(bool(p));
    auto samples = sample_submissions(*p);
    REQUIRE(bool(samples));
    CHECK(samples->size() == 1);
    const auto skipped = skipped_submissions(*p);
    REQUIRE(skipped.size() == 4);
    CHECK(skipped[0].shown == "submissions/accepted/a.cpp");
    CHECK(skipped[0].why == "C++");
    CHECK(skipped[1].shown == "submissions/run_time_error/c.c");
    CHECK(skipped[1].why == "C");
    CHECK(skipped[2].shown == "submissions/wrong_answer/W.java");
    CHECK(skipped[2].why == "Java");
    CHECK(skipped[3].shown == "submissions/wrong_answer/multi");
    CHECK(skipped[3].why.find("a folder") == 0);

    // verify's table notes each and counts them; verify.json lists them.
    VerifyReport r;
    r.grade.problem = *p;
    r.rows.push_back({samples->front(), graded({"AC"}), std::nullopt});
    r.skipped = skipped;
    const std::string table = verify_table(r, false);
    CHECK(table.find("submissions/wrong_answer/W.java") != std::string::npos);
    CHECK(table.find("skipped: Java (pyjudge grades Python 3 submissions)") != std::string::npos);
    CHECK(table.find("verified (1 submissions as expected, 4 skipped)") != std::string::npos);
    const auto j = verify_json(r);
    REQUIRE(j["skipped"].size() == 4);
    CHECK(j["skipped"][0] == nlohmann::json({{"submission", "submissions/accepted/a.cpp"}, {"why", "C++"}}));
  }

  TEST_CASE("problem.json problems: expected.json names each submission's verdict") {
    PackageDir d;
    d.put("problem.json", R"({"title": "T", "time_limit": 1, "memory": "64m"})");
    d.put("statement.md", "# T\n");
    d.put("tests/01.in", "1\n");
    d.put("tests/01.out", "1\n");
    d.put("submissions/ac.py", "print(1)\n");
    d.put("submissions/wa.py", "print(2)\n");
    d.put("expected.json", R"({"ac": "AC", "wa": "WA"})");
    auto p = d.load();
    REQUIRE(bool(p));
    auto s = sample_submissions(*p);
    REQUIRE(bool(s));
    REQUIRE(s->size() == 2);
    CHECK(s->at(1).expect.verdict == "WA");
    CHECK_FALSE(unmet(s->at(1).expect, graded({"WA"})));
    CHECK(*unmet(s->at(1).expect, graded({"AC"})) == "got AC");
    d.put("expected.json", R"({"ac": "AC"})");
    CHECK(sample_submissions(*p).error().message ==
          (d.dir / "expected.json").string() + ": no verdict for " + (d.dir / "submissions/wa.py").string());
    d.put("expected.json", R"({"ac": "AC", "wa": "WA", "gone": "AC"})");
    CHECK(sample_submissions(*p).error().message ==
          (d.dir / "expected.json").string() + ": field 'gone' names no submissions/gone.py");
    d.put("expected.json", R"({"ac": "AC", "wa": "wrong"})");
    CHECK(sample_submissions(*p).error().message.find("field 'wa' must be one of AC, WA") != std::string::npos);
  }
}

TEST_SUITE("judge/validator_run") {
  TEST_CASE("the driver's record: 42 accepts, 43 rejects, anything else is the validator's failure") {
    auto ac = parse_validator_record(R"({"exit": 42, "judgemessage": null, "teammessage": null})");
    REQUIRE(bool(ac));
    CHECK(ac->accepted);
    auto wa = parse_validator_record(R"({"exit": 43, "judgemessage": "line 3 differs\nmore\n"})"
                                     "\n");
    REQUIRE(bool(wa));
    CHECK_FALSE(wa->accepted);
    CHECK(wa->message == "line 3 differs");
    CHECK(parse_validator_record(R"({"exit": 43})")->message == "wrong answer (output validator)");
    CHECK(parse_validator_record(R"({"exit": 0})").error().message ==
          "the output validator exited with 0 (42 accepts, 43 rejects)");
    CHECK(parse_validator_record(R"({"exit": 1, "judgemessage": "bad input file"})").error().message ==
          "the output validator exited with 1 (42 accepts, 43 rejects): bad input file");
    CHECK(parse_validator_record(R"({"exit": -9})").error().message == "the output validator was killed by signal 9");
    // Without a judgemessage, the last line of its stderr says why.
    CHECK(parse_validator_record(
              R"({"exit": 1, "judgemessage": null, "stderr_tail": "Traceback:\n  x\nKeyError: 'n'\n"})")
              .error()
              .message == "the output validator exited with 1 (42 accepts, 43 rejects): KeyError: 'n'");
    CHECK(parse_validator_record("Traceback (most recent call last):")
              .error()
              .message.rfind("the output validator's driver printed no record", 0) == 0);
  }
}
