// Integration tests of the standard formats against the real engine: ICPC/
// Kattis packages graded with their output validators (sandboxed, their
// failures IE), pyjudge verify's verdict and exit code, and Gradescope's
// results.json.
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

fs::path formats_dir(const std::string& name) {
  auto d = engine_env().scratch / "formats" / name;
  fs::create_directories(d);
  return d;
}

// A 2023-07 package: echo the input's number; the validator accepts the
// same number, rejects others, and on input "0" fails (exits 1) as a broken
// validator would.
fs::path echo_package(const std::string& name) {
  const auto dir = formats_dir(name) / "echo";
  put_file(dir / "problem.yaml", "problem_format_version: 2023-07-draft\nname: Echo\nlimits:\n  time_limit: 2\n");
  put_file(dir / "output_validator" / "validate.py", R"(import sys
want = open(sys.argv[1]).read().split()
if want == ["0"]:
    sys.exit(1)
got = sys.stdin.read().split()
if got != want:
    open(sys.argv[3] + "judgemessage.txt", "w").write("wanted %s, got %s\n" % (want, got))
    sys.exit(43)
sys.exit(42)
)");
  put_file(dir / "data" / "sample" / "1.in", "7\n");
  put_file(dir / "data" / "sample" / "1.ans", "7\n");
  put_file(dir / "data" / "secret" / "1.in", "8\n");
  put_file(dir / "data" / "secret" / "1.ans", "8\n");
  put_file(dir / "submissions" / "accepted" / "echo.py", "print(input())\n");
  put_file(dir / "submissions" / "wrong_answer" / "plus_one.py", "print(int(input()) + 1)\n");
  return dir;
}

}  // namespace

TEST_SUITE("engine/formats") {
  TEST_CASE("a package verifies; a mislabelled submission makes verify exit 1 and say why") {
    const auto dir = echo_package("verify");
    const auto out = formats_dir("verify-out");
    auto ok = run_pyjudge({"verify", dir.string(), "--out", out.string()});
    INFO(ok.out, ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("echo: verified (2 submissions as expected)") != std::string::npos);
    const auto v = read_json(out / "verify.json");
    CHECK(v["verified"] == true);
    CHECK(v["format"] == "kattis-2023-07");
    // The validator's judgemessage.txt is the test's message.
    const auto report = read_json(out / "report.json");
    CHECK(report["submissions"][1]["tests"][0]["message"] == "wanted ['7'], got ['8']");

    put_file(dir / "submissions" / "accepted" / "off.py", "print(int(input()) * 2)\n");
    auto bad = run_pyjudge({"verify", dir.string(), "--out", formats_dir("verify-bad").string(), "--format", "json"});
    CHECK(bad.exit_code == 1);
    const auto j = json::parse(bad.out);
    CHECK(j["verified"] == false);
    bool found = false;
    for (const auto& s : j["submissions"])
      if (s["submission"] == "submissions/accepted/off.py") {
        found = true;
        CHECK(s["ok"] == false);
        CHECK(s["why"] == "test sample/1 got WA, which accepted may not");
      }
    CHECK(found);
  }

  TEST_CASE("a validator that fails is IE, never the submission's verdict; verify exits 4") {
    const auto dir = echo_package("broken");
    put_file(dir / "data" / "secret" / "2.in", "0\n");
    put_file(dir / "data" / "secret" / "2.ans", "0\n");
    const auto out = formats_dir("broken-out");
    auto r = run_pyjudge({"grade", dir.string(), (dir / "submissions" / "accepted" / "echo.py").string(), "--out",
                          out.string(), "--format", "json"});
    CHECK(r.exit_code == 4);
    const auto j = json::parse(r.out);
    const auto& tests = j["submissions"][0]["tests"];
    REQUIRE(tests.size() == 3);
    CHECK(tests[2]["test"] == "secret/2");
    CHECK(tests[2]["verdict"] == "IE");
    CHECK(tests[2]["message"] == "the output validator exited with 1 (42 accepts, 43 rejects)");
    CHECK(j["submissions"][0]["graded"] == false);
    CHECK(run_pyjudge({"verify", dir.string(), "--out", formats_dir("broken-verify").string()}).exit_code == 4);
  }

  TEST_CASE("a validator that prints a lot, or writes a long judgemessage, still answers; a crash says why") {
    const auto dir = echo_package("chatty");
    put_file(dir / "output_validator" / "validate.py", R"(import sys
sys.stdout.write("x" * 200000)
sys.stderr.write("y" * 200000)
want = open(sys.argv[2]).read().split()
if want == ["8"]:
    raise KeyError("no such thing")
open(sys.argv[3] + "judgemessage.txt", "w").write("z" * 100000)
sys.exit(42 if sys.stdin.read().split() == want else 43)
)");
    auto r = run_pyjudge({"grade", dir.string(), (dir / "submissions" / "accepted" / "echo.py").string(), "--out",
                          formats_dir("chatty-out").string(), "--format", "json"});
    CHECK(r.exit_code == 4);
    const auto tests = json::parse(r.out)["submissions"][0]["tests"];
    CHECK(tests[0]["verdict"] == "AC");
    CHECK(tests[1]["verdict"] == "IE");
    CHECK(tests[1]["message"] ==
          "the output validator exited with 1 (42 accepts, 43 rejects): KeyError: 'no such thing'");
  }

  TEST_CASE("the validator runs sandboxed: no network, its own container, the submission's output on stdin") {
    const auto dir = echo_package("sandboxed");
    put_file(dir / "output_validator" / "validate.py", R"(import os, socket, sys
msgs = []
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    msgs.append("network reachable")
except OSError:
    pass
if os.path.exists("/var/run/docker.sock"):
    msgs.append("engine socket visible")
if sys.stdin.read().split() != open(sys.argv[2]).read().split():
    msgs.append("wrong stdin")
if msgs:
    open(sys.argv[3] + "judgemessage.txt", "w").write("; ".join(msgs))
    sys.exit(43)
sys.exit(42)
)");
    auto r = run_pyjudge({"grade", dir.string(), (dir / "submissions" / "accepted" / "echo.py").string(), "--out",
                          formats_dir("sandboxed-out").string(), "--format", "json"});
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(json::parse(r.out)["submissions"][0]["verdict"] == "AC");
  }

  TEST_CASE("--format gradescope: results.json for one submission, on stdout and in OUT") {
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "pairsum";
    const auto out = formats_dir("gradescope");
    const auto file = formats_dir("gradescope-report") / "results.json";
    auto r = run_pyjudge({"grade", problem.string(), (problem / "submissions/wrong_answer/first_pair.py").string(),
                          "--out", out.string(), "--format", "gradescope", "--report", file.string()});
    CHECK(r.exit_code == 1);  // graded, not accepted
    const auto j = json::parse(r.out);
    CHECK(read_json(out / "results.json") == j);
    CHECK(read_json(file) == j);
    CHECK(j["score"] == 3);
    REQUIRE(j["tests"].size() == 6);
    CHECK(j["tests"][0]["name"] == "sample/1");
    CHECK(j["tests"][0]["status"] == "passed");
    CHECK(j["tests"][0]["visibility"] == "visible");
    CHECK(j["tests"][1]["status"] == "failed");
    CHECK(j["tests"][1]["output"] ==
          "WA in " + j["tests"][1]["output"].get<std::string>().substr(6, 4) + " s: a[1] + a[2] = 3, not 100");
    CHECK(j["tests"][5]["visibility"] == "after_published");
    CHECK(j["tests"][5]["output"].get<std::string>().rfind("WA in ", 0) == 0);
    CHECK(j["tests"][5]["output"].get<std::string>().find(':') == std::string::npos);
    auto two = run_pyjudge({"grade", problem.string(), (problem / "submissions/accepted").string(), "--out",
                            formats_dir("gradescope-two").string(), "--format", "gradescope"});
    CHECK(two.exit_code == 2);
    CHECK(two.err == "pyjudge: --format gradescope grades one submission, not 2\n");
  }

  TEST_CASE(
      "a scoring package: the validator's score.txt is the test's score, the groups add up, grade exits 1 "
      "short of the full score, and a validator's bad score is IE") {
    const auto dir = formats_dir("scoring") / "closest";
    // Print a number near the input's: the validator scores 10 minus the
    // distance (score.txt), and rejects a distance of 10 or more.
    put_file(dir / "problem.yaml", "problem_format_version: 2023-07-draft\ntype: scoring\nlimits:\n  time_limit: 2\n");
    put_file(dir / "output_validator" / "validate.py", R"(import sys
want = int(open(sys.argv[1]).read())
got = sys.stdin.read().split()
if got == ["bad"]:
    open(sys.argv[3] + "score.txt", "w").write("lots")
    sys.exit(42)
off = abs(int(got[0]) - want) if got and got[0].lstrip("-").isdigit() else 99
if off >= 10:
    sys.exit(43)
open(sys.argv[3] + "score.txt", "w").write(str(10 - off))
sys.exit(42)
)");
    for (const auto& [name, value] :
         {std::pair{"sample/1", "5"}, {"secret/a/1", "20"}, {"secret/a/2", "30"}, {"secret/b/1", "40"}}) {
      put_file(dir / "data" / (std::string(name) + ".in"), std::string(value) + "\n");
      put_file(dir / "data" / (std::string(name) + ".ans"), std::string(value) + "\n");
    }
    put_file(dir / "data" / "testdata.yaml", "on_reject: continue\ngrader_flags: ignore_sample\nrange: 0 20\n");
    put_file(dir / "data" / "secret" / "testdata.yaml", "on_reject: continue\ngrader_flags: first_error sum\n");
    put_file(dir / "data" / "secret" / "a" / "testdata.yaml", "range: 0 10\ngrader_flags: min\n");
    put_file(dir / "data" / "secret" / "b" / "testdata.yaml", "range: 0 10\n");
    const auto sub = [&dir](const std::string& name, const std::string& code) {
      put_file(dir / "subs" / (name + ".py"), code);
      return (dir / "subs" / (name + ".py")).string();
    };
    const auto exact = sub("exact", "print(input())\n");
    const auto near = sub("near", "print(int(input()) + 3)\n");
    const auto bad = sub("bad", "input()\nprint('bad')\n");
    const auto out = formats_dir("scoring-out");
    auto r = run_pyjudge({"grade", dir.string(), exact, near, "--out", out.string(), "--format", "json"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 1);  // near is accepted but short of the full score
    const auto j = json::parse(r.out);
    CHECK(j["type"] == "scoring");
    CHECK(j["submissions"][0]["score"] == 20);
    CHECK(j["submissions"][0]["max_score"] == 20);
    CHECK(j["submissions"][1]["verdict"] == "AC");
    CHECK(j["submissions"][1]["score"] == 14);  // secret/a: min(7, 7); secret/b: 7; summed
    CHECK(j["submissions"][1]["groups"][2]["group"] == "secret/a");
    CHECK(j["submissions"][1]["groups"][2]["score"] == 7);
    CHECK(j["submissions"][1]["tests"][0]["counted"] == false);  // the sample: ignore_sample
    CHECK(slurp(out / "grades.csv").find(",14,20,AC,0,14,7,7\n") != std::string::npos);
    auto only_exact = run_pyjudge({"grade", dir.string(), exact, "--out", formats_dir("scoring-exact").string()});
    CHECK(only_exact.exit_code == 0);
    CHECK(only_exact.out.find("groups: sample 0/20 AC, secret 20/20 AC") != std::string::npos);
    auto ie =
        run_pyjudge({"grade", dir.string(), bad, "--out", formats_dir("scoring-bad").string(), "--format", "json"});
    CHECK(ie.exit_code == 4);  // not graded: the validator's score is the problem's fault
    const auto k = json::parse(ie.out);
    CHECK(k["submissions"][0]["graded"] == false);
    CHECK(k["submissions"][0]["tests"][1]["verdict"] == "IE");
    CHECK(k["submissions"][0]["tests"][1]["message"].get<std::string>().find("score.txt holds no valid score") !=
          std::string::npos);
  }

  TEST_CASE(
      "an interactive package: the validator and the submission talk through the host, and the verdict "
      "follows who ended first") {
    const auto dir = formats_dir("interactive") / "guess";
    put_file(dir / "problem.yaml",
             "problem_format_version: 2023-07-draft\ntype: interactive\nlimits:\n  time_limit: 1\n");
    // Guess a number in 1..100 in at most 7 tries; 0 as the number makes the
    // validator crash, as a broken validator would.
    put_file(dir / "output_validator" / "validate.py", R"(import sys
secret = int(open(sys.argv[1]).read())
fb = sys.argv[3]
if secret == 0:
    raise RuntimeError("broken validator")
for tries in range(1, 8):
    line = sys.stdin.readline()
    if not line:
        open(fb + "judgemessage.txt", "w").write("no guess %d" % tries)
        sys.exit(43)
    g = int(line)
    if g == secret:
        print("correct", flush=True)
        open(fb + "teammessage.txt", "w").write("found in %d" % tries)
        sys.exit(42)
    print("lower" if g > secret else "higher", flush=True)
open(fb + "judgemessage.txt", "w").write("out of tries")
sys.exit(43)
)");
    put_file(dir / "data" / "secret" / "1.in", "37\n");
    put_file(dir / "data" / "secret" / "1.ans", "\n");
    const auto sub = [&dir](const std::string& name, const std::string& code) {
      put_file(dir / "subs" / (name + ".py"), code);
      return (dir / "subs" / (name + ".py")).string();
    };
    const auto binary = sub("binary", R"(lo, hi = 1, 100
while True:
    m = (lo + hi) // 2
    print(m, flush=True)
    r = input()
    if r == "correct":
        break
    lo, hi = (lo, m - 1) if r == "lower" else (m + 1, hi)
)");
    // Told it is out of tries (its stdin ends), it crashes: the validator
    // rejected first, so WA, not RE.
    const auto linear = sub("linear", "g = 0\nwhile True:\n    g += 1\n    print(g, flush=True)\n    input()\n");
    // Never flushes its guess: it waits for an answer that never comes.
    const auto unflushed = sub("unflushed", "import sys\nsys.stdout.write('50\\n')\nsys.stdin.readline()\n");
    const auto crash = sub("crash", "print(50, flush=True)\ninput()\nraise SystemExit(3)\n");
    const auto out = formats_dir("interactive-out");
    auto r = run_pyjudge(
        {"grade", dir.string(), binary, linear, unflushed, crash, "--out", out.string(), "--format", "json"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 1);
    const auto j = json::parse(r.out);
    const auto test = [&j](int i) { return j["submissions"][i]["tests"][0]; };
    CHECK(test(0)["verdict"] == "AC");
    CHECK(test(0)["team_message"] == "found in 3");
    CHECK(test(1)["verdict"] == "WA");
    CHECK(test(1)["message"] == "out of tries");
    CHECK(test(2)["verdict"] == "TLE");
    CHECK(test(2)["cpu_time"].get<double>() < 1.0);  // waiting is not CPU time
    CHECK(test(3)["verdict"] == "RE");
    // What the submission printed is kept, and the validator's side beside it.
    CHECK(slurp(out / "binary" / "secret" / "1" / "stdout") == "50\n25\n37\n");
    CHECK(slurp(out / "binary" / "secret" / "1" / "validator" / "stdout") == "lower\nhigher\ncorrect\n");

    put_file(dir / "data" / "secret" / "1.in", "0\n");
    auto ie = run_pyjudge(
        {"grade", dir.string(), binary, "--out", formats_dir("interactive-ie").string(), "--format", "json"});
    CHECK(ie.exit_code == 4);
    const auto k = json::parse(ie.out);
    CHECK(k["submissions"][0]["tests"][0]["verdict"] == "IE");
    CHECK(k["submissions"][0]["tests"][0]["message"].get<std::string>().find("broken validator") != std::string::npos);
  }

  TEST_CASE("verify replays an interactive package's sample transcripts against its validator") {
    const auto dir = formats_dir("replay") / "guess";
    fs::remove_all(dir);
    fs::copy(fs::path(PYJUDGE_PROBLEMS) / "guess", dir, fs::copy_options::recursive);
    const auto out = formats_dir("replay-out");
    auto ok = run_pyjudge({"verify", dir.string(), "--out", (out / "ok").string()});
    INFO(ok.out, ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("interaction sample/1: the validator follows and accepts it") != std::string::npos);

    // A stale statement: the transcript says the judge answered "higher".
    std::string text = slurp(dir / "data" / "sample" / "1.interaction");
    text.replace(text.find("<lower"), 6, "<higher");
    put_file(dir / "data" / "sample" / "1.interaction", text);
    // A transcript with no sample test, and one that is not a transcript.
    put_file(dir / "data" / "sample" / "2.interaction", ">500\n<lower\n");
    auto bad = run_pyjudge({"verify", dir.string(), "--out", (out / "bad").string()});
    INFO(bad.out, bad.err);
    CHECK(bad.exit_code == 1);
    CHECK(bad.out.find("interaction sample/1: NOT followed: transcript line 2: the validator sent 'lower', the "
                       "transcript says 'higher'") != std::string::npos);
    CHECK(bad.out.find("interaction sample/2: not replayed: no data/sample/2.in to replay it on") != std::string::npos);
    CHECK(bad.out.find("NOT verified (0 of 4 submissions not as expected, 1 transcripts not followed)") !=
          std::string::npos);
    const auto v = read_json(out / "bad" / "verify.json");
    REQUIRE(v["interactions"].size() == 2);
    CHECK(v["interactions"][0]["outcome"] == "departs");
    CHECK(v["interactions"][1]["outcome"] == "not_replayed");
  }
}
