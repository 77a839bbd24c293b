// The spool's moves, on a real folder: claim, commit, finish, reject, and
// what a crash between them leaves for recovery.
#include <doctest/doctest.h>

#include <fstream>

#include "judge/spool/spool.h"
#include "tests/support/temp_dir.h"

using namespace pyjudge;
using namespace pyjudge::judge;
namespace fs = std::filesystem;

namespace {

void put(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

bool empty_dir(const fs::path& p) { return fs::is_directory(p) && fs::is_empty(p); }

}  // namespace

TEST_SUITE("judge/spool/spool") {
  TEST_CASE("open makes the layout") {
    pyjudge::testing::TempDir tmp;
    const auto spool = Spool::open(tmp.path() / "s");
    REQUIRE(spool);
    for (const auto& d : {spool->inbox(), spool->work(), spool->results(), spool->done(), spool->rejected()})
      CHECK(empty_dir(d));
  }

  TEST_CASE("kind_of: scripts, inputs and specs by name; partial names ignored; the rest invalid") {
    std::string id;
    CHECK(Spool::kind_of("a1.py", id) == Spool::NameKind::Script);
    CHECK(id == "a1");
    CHECK(Spool::kind_of("a1.in", id) == Spool::NameKind::Stdin);
    CHECK(Spool::kind_of("a1.json", id) == Spool::NameKind::Json);
    CHECK(Spool::kind_of(".a1.py", id) == Spool::NameKind::Ignored);
    CHECK(Spool::kind_of("a1.py.part", id) == Spool::NameKind::Ignored);
    CHECK(Spool::kind_of("a1.exe", id) == Spool::NameKind::Invalid);
  }

  TEST_CASE("claim, commit and finish: inbox -> work/ID -> results/ID and done/") {
    pyjudge::testing::TempDir tmp;
    const auto spool = Spool::open(tmp.path());
    REQUIRE(spool);
    put(spool->inbox() / "j.py", "print(1)\n");
    put(spool->inbox() / "j.in", "1\n");

    auto claimed = spool->claim("j");
    REQUIRE(claimed);
    CHECK(*claimed);
    CHECK(empty_dir(spool->inbox()));
    CHECK(fs::exists(spool->work() / "j" / "j.py"));
    CHECK(fs::exists(spool->work() / "j" / "j.in"));
    CHECK(spool->claimed() == std::vector<std::string>{"j"});
    auto again = spool->claim("j");  // already claimed
    REQUIRE(again);
    CHECK_FALSE(*again);

    CHECK_FALSE(spool->has_result("j"));
    auto temp = spool->temp_result_dir("j");
    REQUIRE(temp);
    put(*temp / "stdout", "1\n");
    REQUIRE(spool->commit_result(*temp, "j"));
    CHECK(spool->has_result("j"));
    CHECK(fs::exists(spool->results() / "j" / "stdout"));

    REQUIRE(spool->finish("j"));
    CHECK_FALSE(fs::exists(spool->work() / "j"));
    CHECK(fs::exists(spool->done() / "j.py"));
    CHECK(fs::exists(spool->done() / "j.in"));
    CHECK(spool->claimed().empty());
  }

  TEST_CASE("a temp result a crash left is removed; a claimed job is still listed for recovery") {
    pyjudge::testing::TempDir tmp;
    const auto spool = Spool::open(tmp.path());
    REQUIRE(spool);
    put(spool->inbox() / "k.py", "pass\n");
    REQUIRE(spool->claim("k"));
    auto temp = spool->temp_result_dir("k");
    REQUIRE(temp);
    // The process dies here: nothing committed.
    CHECK(spool->remove_stale_temps() == 1);
    CHECK_FALSE(fs::exists(*temp));
    CHECK(spool->claimed() == std::vector<std::string>{"k"});
    CHECK_FALSE(spool->has_result("k"));
  }

  TEST_CASE("rejections keep the inputs, with the reason beside them") {
    pyjudge::testing::TempDir tmp;
    const auto spool = Spool::open(tmp.path());
    REQUIRE(spool);
    put(spool->inbox() / "x.exe", "?");
    REQUIRE(spool->reject_inbox_file("x.exe", "not a job file"));
    CHECK(fs::exists(spool->rejected() / "x.exe"));
    std::ifstream reason(spool->rejected() / "x.exe.reason.txt");
    std::string text((std::istreambuf_iterator<char>(reason)), std::istreambuf_iterator<char>());
    CHECK(text.find("not a job file") != std::string::npos);

    put(spool->inbox() / "y.py", "pass\n");
    REQUIRE(spool->claim("y"));
    REQUIRE(spool->reject_claimed("y", "memory 1t is more than the engine has"));
    CHECK(fs::exists(spool->rejected() / "y.py"));
    CHECK(fs::exists(spool->rejected() / "y.reason.txt"));
    CHECK_FALSE(fs::exists(spool->work() / "y"));
  }
}
