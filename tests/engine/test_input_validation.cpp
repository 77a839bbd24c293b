// verify's input validators against the real engine: each program in
// input_validators/ (Python, or C/C++ built in the compiler image) run on
// every test's input with its group's arguments; an invalid input fails
// the verification, a validator's own failure leaves it not graded (exit
// 4), and one that does not build is bad input (exit 2).
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A legacy package whose tests are numbers under a group limit: the input
// validator takes --max N from input_validator_flags.
fs::path number_package(const std::string& name) {
  const auto dir = engine_env().scratch / "input-validation" / name / "double";
  fs::remove_all(dir.parent_path());
  put_file(dir / "problem.yaml", "name: Double\n");
  put_file(dir / "input_validators" / "range.py", R"(import sys
limit = int(sys.argv[2]) if sys.argv[1:2] == ["--max"] else 100
n = int(sys.stdin.read())
if n > limit:
    print("n = %d is above %d" % (n, limit))
    sys.exit(43)
sys.exit(42)
)");
  put_file(dir / "data" / "sample" / "1.in", "3\n");
  put_file(dir / "data" / "sample" / "1.ans", "6\n");
  put_file(dir / "data" / "secret" / "testdata.yaml", "input_validator_flags: --max 10\n");
  put_file(dir / "data" / "secret" / "1.in", "7\n");
  put_file(dir / "data" / "secret" / "1.ans", "14\n");
  put_file(dir / "submissions" / "accepted" / "double.py", "print(2 * int(input()))\n");
  return dir;
}

}  // namespace

TEST_SUITE("engine/input_validation") {
  TEST_CASE("each input validator checks every test's input with its group's flags; an invalid one fails verify") {
    const auto dir = number_package("flags");
    const auto out = dir.parent_path() / "out";
    auto ok = run_pyjudge({"verify", dir.string(), "--out", out.string()});
    INFO(ok.out, ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("input validators: 1 on 2 test inputs, 2 valid") != std::string::npos);
    // 12 passes the default limit (100) but not secret's --max 10.
    put_file(dir / "data" / "secret" / "1.in", "12\n");
    put_file(dir / "data" / "secret" / "1.ans", "24\n");
    const auto out2 = dir.parent_path() / "out2";
    auto bad = run_pyjudge({"verify", dir.string(), "--out", out2.string()});
    INFO(bad.out, bad.err);
    CHECK(bad.exit_code == 1);
    CHECK(bad.out.find("input secret/1: invalid by input_validators/range.py: n = 12 is above 10") !=
          std::string::npos);
    CHECK(bad.out.find("NOT verified (0 of 1 submissions not as expected, 1 test inputs invalid)") !=
          std::string::npos);
    const auto v = read_json(out2 / "verify.json");
    CHECK(v["verified"] == false);
    CHECK(v["inputs"]["validators"] == json::array({"input_validators/range.py"}));
    CHECK(v["inputs"]["checks"] == 2);
    CHECK(v["inputs"]["valid"] == 1);
    REQUIRE(v["inputs"]["invalid"].size() == 1);
    CHECK(v["inputs"]["invalid"][0]["test"] == "secret/1");
  }

  TEST_CASE(
      "a C input validator is built and run; one that fails is not a verdict; one that does not build is exit 2") {
    const auto dir = number_package("compiled");
    fs::remove_all(dir / "input_validators");
    put_file(dir / "input_validators" / "digits" / "digits.c", R"(#include <ctype.h>
#include <stdio.h>
#include "digits.h"
int main(void) {
  int c, seen = 0;
  while ((c = getchar()) != EOF && c != '\n') {
    if (!isdigit(c)) { printf("not a digit: %c\n", c); return 43; }
    seen++;
  }
  if (seen == 0 || seen > MAX_DIGITS) return 43;
  return 42;
}
)");
    put_file(dir / "input_validators" / "digits" / "digits.h", "#define MAX_DIGITS 3\n");
    const std::map<std::string, std::string> env{{"PYJUDGE_CACHE_DIR", (dir.parent_path() / "cache").string()}};
    auto ok = run_pyjudge({"verify", dir.string(), "--out", (dir.parent_path() / "out").string()}, env);
    INFO(ok.out, ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("input validators: 1 on 2 test inputs, 2 valid") != std::string::npos);

    // A second validator that exits 3 on every input: its failure, never the input's verdict.
    put_file(dir / "input_validators" / "broken.py", "import sys\nprint('cannot tell')\nsys.exit(3)\n");
    auto failed = run_pyjudge({"verify", dir.string(), "--out", (dir.parent_path() / "out2").string()}, env);
    INFO(failed.out);
    CHECK(failed.exit_code == 4);
    CHECK(failed.out.find("input secret/1: input_validators/broken.py failed: the input validator exited with 3 (42 "
                          "accepts, 43 rejects): cannot tell") != std::string::npos);
    fs::remove(dir / "input_validators" / "broken.py");

    put_file(dir / "input_validators" / "digits" / "digits.c", "int main(void) { return undeclared; }\n");
    auto broken = run_pyjudge({"verify", dir.string(), "--out", (dir.parent_path() / "out3").string()}, env);
    CHECK(broken.exit_code == 2);
    CHECK(broken.err.find("the input validator is not built: it does not compile: digits.c:1:") != std::string::npos);
  }
}
