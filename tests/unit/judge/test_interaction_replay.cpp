// The sample transcripts' replay (judge/interaction_replay.h): the script it
// makes, run by the host's python3 against a stand-in validator.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>

#include "judge/interaction_replay.h"

TEST_SUITE("interaction_replay") {
  TEST_CASE("a transcript becomes a script that writes its > lines and checks its < lines") {
    const auto script = pyjudge::judge::replay_script(">? 1\n<\"quoted\" \\ text\n\n>! 1\r\n");
    REQUIRE(bool(script));
    // Run it against a fake validator: the transcript's own < lines, then another answer.
    const auto dir = std::filesystem::temp_directory_path() / ("pyjudge-replay-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "replay.py") << *script;
    const auto run = [&dir](const std::string& input) {
      std::ofstream(dir / "in") << input;
      const std::string cmd = "python3 " + (dir / "replay.py").string() + " < " + (dir / "in").string() + " > " +
                              (dir / "out").string() + " 2> " + (dir / "err").string();
      const int status = std::system(cmd.c_str());  // NOLINT(cert-env33-c): a test's own command
      std::ifstream out(dir / "out");
      std::ifstream err(dir / "err");
      return std::tuple{WEXITSTATUS(status), std::string(std::istreambuf_iterator<char>(out), {}),
                        std::string(std::istreambuf_iterator<char>(err), {})};
    };
    const auto [code, out, err] = run("\"quoted\" \\ text\n");
    CHECK(code == 0);
    CHECK(out == "? 1\n! 1\n");
    const auto [code2, out2, err2] = run("other\n");
    CHECK(code2 == 1);
    CHECK(out2 == "? 1\n");
    CHECK(err2.find("transcript line 2: the validator sent 'other'") != std::string::npos);
    const auto [code3, out3, err3] = run("");
    CHECK(code3 == 1);
    CHECK(err3.find("the validator sent nothing more") != std::string::npos);
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("what cannot be replayed names its line") {
    const auto bad = pyjudge::judge::replay_script(">1\n<2\nno prefix\n");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "line 3: starts with neither '<' nor '>'");
    const auto multi = pyjudge::judge::replay_script(">1\n---\n>2\n");
    REQUIRE_FALSE(multi);
    CHECK(multi.error().message.find("line 2: a multi-pass separator") == 0);
  }
}
