// Compiled validators against the real engine: a package's C or C++ output
// validator built once in the compiler image (scripts/test.sh builds
// pyjudge-gcc), cached by content, run sandboxed in that image; a build
// failure is bad input (exit 2) with the compiler's message; verify notes
// and counts the package's C++ submissions as skipped.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "runner/engine/image.h"
#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kCompilerImage = "pyjudge-gcc";

// Fails loudly, with the command that builds it, when the image is missing.
void require_compiler_image() {
  Engine engine(*endpoint_from_env());
  auto info = check_image(engine, kCompilerImage);
  REQUIRE_MESSAGE(bool(info),
                  "the compiler image is missing: build it with 'scripts/build-image.sh --with g++ --tag "
                  "pyjudge-gcc' (",
                  (info ? "" : info.error().message), ")");
}

fs::path compiled_dir(const std::string& name) {
  auto d = engine_env().scratch / "compiled" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A legacy package whose output validator is one C file: the numbers must
// match within 0.01; on the input "0" it fails (exits 1) as a broken
// validator would.
fs::path c_package(const fs::path& root) {
  const auto dir = root / "halve";
  put_file(dir / "problem.yaml", "name: Halve\nvalidation: custom\n");
  put_file(dir / "output_validators" / "check.c", R"(#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  if (argc < 4) return 1;
  FILE *ans = fopen(argv[2], "r");
  double want = 0, got = 0;
  if (!ans || fscanf(ans, "%lf", &want) != 1) return 1;
  if (want == 0) return 1;
  if (scanf("%lf", &got) != 1 || fabs(got - want) > 0.01) {
    char path[4096];
    snprintf(path, sizeof path, "%sjudgemessage.txt", argv[3]);
    FILE *m = fopen(path, "w");
    if (m) { fprintf(m, "wanted %.2f, got %.2f\n", want, got); fclose(m); }
    return 43;
  }
  return 42;
}
)");
  put_file(dir / "data" / "sample" / "1.in", "3\n");
  put_file(dir / "data" / "sample" / "1.ans", "1.5\n");
  put_file(dir / "data" / "secret" / "1.in", "7\n");
  put_file(dir / "data" / "secret" / "1.ans", "3.5\n");
  put_file(dir / "submissions" / "accepted" / "halve.py", "print(int(input()) / 2 + 0.001)\n");
  put_file(dir / "submissions" / "accepted" / "halve.cpp", "int main() {}\n");
  put_file(dir / "submissions" / "wrong_answer" / "floor.py", "print(int(input()) // 2)\n");
  put_file(dir / "submissions" / "wrong_answer" / "Floor.java", "class Floor {}\n");
  return dir;
}

std::size_t builds_under(const fs::path& out) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out / ".pyjudge", ec))
    if (e.is_directory() && e.path().filename().string().starts_with("validator-build-")) ++n;
  return n;
}

std::size_t files_in(const fs::path& dir) {
  std::error_code ec;
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir, ec), fs::directory_iterator()));
}

}  // namespace

TEST_SUITE("engine/compiled") {
  TEST_CASE("a C validator is built once, cached by content, and judges; C++ and Java submissions are skipped") {
    require_compiler_image();
    const auto root = compiled_dir("c-validator");
    const auto dir = c_package(root);
    const std::map<std::string, std::string> env{{"PYJUDGE_CACHE_DIR", (root / "cache").string()}};
    auto first = run_pyjudge({"verify", dir.string(), "--out", (root / "out1").string()}, env);
    INFO(first.out, first.err);
    CHECK(first.exit_code == 0);
    CHECK(first.out.find("submissions/accepted/halve.cpp") != std::string::npos);
    CHECK(first.out.find("skipped: C++") != std::string::npos);
    CHECK(first.out.find("skipped: Java") != std::string::npos);
    CHECK(first.out.find("verified (2 submissions as expected, 2 skipped)") != std::string::npos);
    const auto v = json::parse(slurp(root / "out1" / "verify.json"));
    REQUIRE(v["skipped"].size() == 2);
    CHECK(v["skipped"][0]["submission"] == "submissions/accepted/halve.cpp");
    CHECK(v["skipped"][1]["why"] == "Java");
    // The wrong answer's message is the C validator's judgemessage.
    const auto report = json::parse(slurp(root / "out1" / "report.json"));
    bool saw_message = false;
    for (const auto& s : report["submissions"])
      for (const auto& t : s["tests"]) saw_message = saw_message || t["message"] == "wanted 1.50, got 1.00";
    CHECK(saw_message);
    CHECK(builds_under(root / "out1") == 1);
    CHECK(files_in(root / "cache" / "validators") == 1);

    // Again: the cache's program, no build.
    auto second = run_pyjudge({"verify", dir.string(), "--out", (root / "out2").string()}, env);
    CHECK(second.exit_code == 0);
    CHECK(builds_under(root / "out2") == 0);
    // A changed source is a new build.
    std::ofstream(dir / "output_validators" / "check.c", std::ios::app) << "/* changed */\n";
    auto third = run_pyjudge({"verify", dir.string(), "--out", (root / "out3").string()}, env);
    CHECK(third.exit_code == 0);
    CHECK(builds_under(root / "out3") == 1);
    CHECK(files_in(root / "cache" / "validators") == 2);
  }

  TEST_CASE("a validator that does not compile is exit 2 with the compiler's message, before any run") {
    require_compiler_image();
    const auto root = compiled_dir("broken-build");
    const auto dir = c_package(root);
    fs::remove(dir / "output_validators" / "check.c");
    put_file(dir / "output_validators" / "check" / "check.cpp",
             "#include \"validate.h\"\nint main() { return nope; }\n");
    put_file(dir / "output_validators" / "check" / "validate.h", "#pragma once\n");
    auto r = run_pyjudge({"grade", dir.string(), (dir / "submissions" / "accepted" / "halve.py").string(), "--out",
                          (root / "out").string()},
                         {{"PYJUDGE_CACHE_DIR", (root / "cache").string()}});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("the output validator is not built: it does not compile") != std::string::npos);
    CHECK(r.err.find("check.cpp:2:") != std::string::npos);
    CHECK(r.err.find("'nope' was not declared") != std::string::npos);
    CHECK_FALSE(fs::exists(root / "out" / "halve"));  // no submission ran
    CHECK(files_in(root / "cache" / "validators") == 0);
  }

  TEST_CASE("a compiled validator's failure is IE, never the submission's verdict") {
    require_compiler_image();
    const auto root = compiled_dir("broken-run");
    const auto dir = c_package(root);
    put_file(dir / "data" / "secret" / "2.in", "0\n");
    put_file(dir / "data" / "secret" / "2.ans", "0\n");
    auto r = run_pyjudge({"grade", dir.string(), (dir / "submissions" / "accepted" / "halve.py").string(), "--out",
                          (root / "out").string()},
                         {{"PYJUDGE_CACHE_DIR", (root / "cache").string()}});
    CHECK(r.exit_code == 4);
    const auto report = json::parse(slurp(root / "out" / "report.json"));
    const auto& tests = report["submissions"][0]["tests"];
    REQUIRE(tests.size() == 3);
    CHECK(tests[0]["verdict"] == "AC");
    CHECK(tests[2]["verdict"] == "IE");
    CHECK(tests[2]["message"].get<std::string>().find("exited with 1 (42 accepts, 43 rejects)") != std::string::npos);
  }

  TEST_CASE("the compiler image must be there, with g++: exit 3 with the command that builds it, or exit 2") {
    const auto root = compiled_dir("no-compiler");
    const auto dir = c_package(root);
    const auto sub = (dir / "submissions" / "accepted" / "halve.py").string();
    auto missing =
        run_pyjudge({"grade", dir.string(), sub, "--out", (root / "a").string(), "--compiler-image", "pyjudge-no-gcc"});
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("build-image.sh --with g++ --tag pyjudge-no-gcc") != std::string::npos);
    auto plain =
        run_pyjudge({"grade", dir.string(), sub, "--out", (root / "b").string(), "--compiler-image", "pyjudge-python"});
    CHECK(plain.exit_code == 2);
    CHECK(plain.err.find("the image has no g++") != std::string::npos);
    // doctor reports the compiler image, and its absence is no reason to be unhealthy.
    auto doctor = run_pyjudge({"doctor", "--json", "--compiler-image", "pyjudge-no-gcc"});
    CHECK(doctor.exit_code == 0);
    const auto d = json::parse(doctor.out);
    CHECK(d["compiler_image"]["ok"] == false);
    CHECK(d["compiler_image"]["problem"] == "not built");
  }
}
