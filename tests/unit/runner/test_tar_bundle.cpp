#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runner/sandbox/tar_bundle.h"
#include "tests/support/tar_reader.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using pyjudge::testing::read_tar;

TEST_SUITE("runner/sandbox/tar_bundle") {
  TEST_CASE("build_tar then read_tar round-trips names and contents") {
    std::string binary;
    for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
    binary += std::string("\0\0\0end", 6);
    const std::vector<BundleFile> files = {
        {"main.py", "print(input())\n"},
        {"data.bin", binary},
        {"empty.txt", ""},
        {"big.txt", std::string(100'000, 'z')},
        {"name with spaces-and_dashes.1", "ok"},
    };
    const auto tar = build_tar(files);
    REQUIRE(tar);
    CHECK_FALSE(tar->empty());
    const auto back = read_tar(*tar);
    REQUIRE(back);
    REQUIRE(back->size() == files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      CAPTURE(i);
      CHECK((*back)[i].name == files[i].name);
      CHECK((*back)[i].content.size() == files[i].content.size());
      CHECK((*back)[i].content == files[i].content);
    }
  }

  TEST_CASE("an empty bundle is a valid empty archive") {
    const auto tar = build_tar({});
    REQUIRE(tar);
    const auto back = read_tar(*tar);
    REQUIRE(back);
    CHECK(back->empty());
  }

  TEST_CASE("the stream is a whole number of 512-byte tar blocks, not padded to 10 KiB") {
    const auto tar = build_tar({{"main.py", "x"}});
    REQUIRE(tar);
    CHECK(tar->size() % 512 == 0);
    CHECK(tar->size() < 10240);
  }

  TEST_CASE("build_tar rejects names that are not plain file names") {
    const std::vector<std::string> bad_names = {
        "", "a/b", "/abs", "dir/", ".hidden", "..", ".", "../escape", std::string("a\0b", 3), std::string(101, 'n')};
    for (const auto& bad : bad_names) {
      CAPTURE(bad);
      const auto tar = build_tar({{"main.py", "ok"}, {bad, "x"}});
      REQUIRE_FALSE(tar);
      CHECK(tar.error().message.find("name") != std::string::npos);
    }
  }

  TEST_CASE("read_tar rejects garbage") {
    CHECK_FALSE(read_tar(std::string(1024, 'g')));
    const auto tar = build_tar({{"main.py", std::string(2000, 'p')}});
    REQUIRE(tar);
    CHECK_FALSE(read_tar(tar->substr(0, 700)));  // cut inside the file's data
  }
}
