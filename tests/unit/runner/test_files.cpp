#include <doctest/doctest.h>

#include "tests/support/temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "runner/job/files.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using pyjudge::testing::TempDir;

namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

bool any_temp_file(const fs::path& dir) {
  for (const auto& n : names_in(dir))
    if (n.find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("runner/job/files") {
  TEST_CASE("temp_sibling is a hidden name beside the path, different each time") {
    const fs::path p = "/some/dir/result.json";
    const auto a = temp_sibling(p);
    const auto b = temp_sibling(p);
    CHECK(a.parent_path() == p.parent_path());
    CHECK(a.filename().string().rfind(".result.json.tmp-", 0) == 0);
    CHECK(a != b);
  }

  TEST_CASE("write_file_atomic writes, replaces, and leaves no temp file") {
    TempDir dir;
    const auto path = dir.path() / "result.json";

    REQUIRE(write_file_atomic(path, "first version\n"));
    CHECK(read_all(path) == "first version\n");
    CHECK_FALSE(any_temp_file(dir.path()));

    REQUIRE(write_file_atomic(path, "second"));
    CHECK(read_all(path) == "second");
    CHECK_FALSE(any_temp_file(dir.path()));

    const std::string binary("a\0b\xff", 4);
    REQUIRE(write_file_atomic(path, binary));
    CHECK(read_all(path) == binary);

    REQUIRE(write_file_atomic(path, ""));
    CHECK(fs::file_size(path) == 0);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"result.json"});
  }

  TEST_CASE("write_file_atomic fails into a missing directory") {
    TempDir dir;
    const auto s = write_file_atomic(dir.path() / "no-such-dir" / "f", "x");
    CHECK_FALSE(s);
    CHECK_FALSE(any_temp_file(dir.path()));
  }

  TEST_CASE("CappedFile") {
    TempDir dir;
    const auto final_path = dir.path() / "stdout";

    SUBCASE("under the cap") {
      auto f = CappedFile::create(final_path, 10);
      REQUIRE(f);
      REQUIRE(f->write("abc"));
      REQUIRE(f->write("de"));
      CHECK_FALSE(f->truncated());
      CHECK(f->bytes_seen() == 5);
      REQUIRE(f->commit());
      CHECK(read_all(final_path) == "abcde");
      CHECK_FALSE(any_temp_file(dir.path()));
    }
    SUBCASE("exactly at the cap") {
      auto f = CappedFile::create(final_path, 6);
      REQUIRE(f);
      REQUIRE(f->write("abc"));
      REQUIRE(f->write("def"));
      CHECK_FALSE(f->truncated());
      CHECK(f->bytes_seen() == 6);
      REQUIRE(f->commit());
      CHECK(read_all(final_path) == "abcdef");
    }
    SUBCASE("over the cap in one write") {
      auto f = CappedFile::create(final_path, 4);
      REQUIRE(f);
      CHECK(f->write("0123456789"));
      CHECK(f->truncated());
      CHECK(f->bytes_seen() == 10);
      REQUIRE(f->commit());
      CHECK(read_all(final_path) == "0123");
    }
    SUBCASE("over the cap across writes: counts everything, keeps the first cap bytes") {
      auto f = CappedFile::create(final_path, 5);
      REQUIRE(f);
      CHECK(f->write("abc"));
      CHECK_FALSE(f->truncated());
      CHECK(f->write("defg"));
      CHECK(f->truncated());
      CHECK(f->write("hij"));
      CHECK(f->write(""));
      CHECK(f->bytes_seen() == 10);
      REQUIRE(f->commit());
      CHECK(read_all(final_path) == "abcde");
      CHECK(fs::file_size(final_path) == 5);
    }
    SUBCASE("one byte past the cap is truncated") {
      auto f = CappedFile::create(final_path, 3);
      REQUIRE(f);
      CHECK(f->write("abc"));
      CHECK_FALSE(f->truncated());
      CHECK(f->write("d"));
      CHECK(f->truncated());
      CHECK(f->bytes_seen() == 4);
    }
    SUBCASE("no final file before commit") {
      auto f = CappedFile::create(final_path, 100);
      REQUIRE(f);
      REQUIRE(f->write("data"));
      CHECK_FALSE(fs::exists(final_path));
      CHECK(any_temp_file(dir.path()));
      REQUIRE(f->commit());
      CHECK(fs::exists(final_path));
      CHECK_FALSE(any_temp_file(dir.path()));
    }
    SUBCASE("commit replaces an older file") {
      {
        std::ofstream old(final_path);
        old << "stale content from an earlier run";
      }
      auto f = CappedFile::create(final_path, 100);
      REQUIRE(f);
      REQUIRE(f->write("new"));
      CHECK(read_all(final_path) == "stale content from an earlier run");
      REQUIRE(f->commit());
      CHECK(read_all(final_path) == "new");
    }
    SUBCASE("destroyed without commit: temp file removed, no final file") {
      {
        auto f = CappedFile::create(final_path, 100);
        REQUIRE(f);
        REQUIRE(f->write("discard me"));
        CHECK(any_temp_file(dir.path()));
      }
      CHECK_FALSE(any_temp_file(dir.path()));
      CHECK_FALSE(fs::exists(final_path));
      CHECK(names_in(dir.path()).empty());
    }
    SUBCASE("moving a CappedFile moves ownership of the temp file") {
      std::optional<CappedFile> holder;
      {
        auto f = CappedFile::create(final_path, 100);
        REQUIRE(f);
        REQUIRE(f->write("moved"));
        holder.emplace(std::move(*f));
      }  // the moved-from file must not remove the temp file
      CHECK(any_temp_file(dir.path()));
      REQUIRE(holder->commit());
      CHECK(read_all(final_path) == "moved");
      holder.reset();
      CHECK(fs::exists(final_path));  // a committed file is not removed on destruction
    }
    SUBCASE("committed file survives destruction") {
      {
        auto f = CappedFile::create(final_path, 100);
        REQUIRE(f);
        REQUIRE(f->write("kept"));
        REQUIRE(f->commit());
      }
      CHECK(read_all(final_path) == "kept");
    }
    SUBCASE("create fails in a missing directory") {
      auto f = CappedFile::create(dir.path() / "missing" / "stdout", 10);
      CHECK_FALSE(f);
    }
  }

  // A regression test (runner/job/files.h, CappedFile's move assignment): it
  // once closed the descriptor of an uncommitted file but left its temp file.
  TEST_CASE("move-assigning over an uncommitted CappedFile removes its temp file") {
    TempDir dir;
    {
      auto a = CappedFile::create(dir.path() / "a", 10);
      auto b = CappedFile::create(dir.path() / "b", 10);
      REQUIRE(a);
      REQUIRE(b);
      *a = std::move(*b);
    }
    CHECK(names_in(dir.path()).empty());
  }
}
