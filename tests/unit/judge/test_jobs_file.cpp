#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "judge/jobs_file.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;

namespace {

struct Dir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("pyjudge-jobs-test-" + std::to_string(::getpid()));
  Dir() {
    std::filesystem::create_directories(path / "sub");
    std::ofstream(path / "a.py") << "print(1)\n";
    std::ofstream(path / "sub" / "b.py") << "print(2)\n";
    std::ofstream(path / "in.txt") << "1 2\n";
  }
  ~Dir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(path / name) << content;
    return (path / name).string();
  }
};

bool has_error(const JobsFile& f, const std::string& needle) {
  for (const auto& e : f.errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("judge/jobs_file") {
  TEST_CASE("JSON Lines: paths resolve against the file's folder, limits default from the command line") {
    Dir d;
    Limits defaults;
    defaults.wall_limit_s = 3;
    const auto f = load_jobs(d.write("jobs.jsonl",
                                     "{\"id\": \"one\", \"script\": \"a.py\", \"stdin\": \"in.txt\"}\n\n"
                                     "{\"id\": \"two\", \"script\": \"sub/b.py\", \"time_limit\": 1.5, "
                                     "\"memory\": \"64m\", \"pids\": 16, \"cpus\": 0.5}\n"),
                             defaults);
    REQUIRE(f.errors.empty());
    REQUIRE(f.jobs.size() == 2);
    CHECK(f.jobs[0].id == "one");
    CHECK(f.jobs[0].script == d.path / "a.py");
    REQUIRE(f.jobs[0].stdin_file.has_value());
    CHECK(*f.jobs[0].stdin_file == d.path / "in.txt");
    CHECK(f.jobs[0].limits.wall_limit_s == 3);
    CHECK(f.jobs[1].script == d.path / "sub" / "b.py");
    CHECK_FALSE(f.jobs[1].stdin_file.has_value());
    CHECK(f.jobs[1].limits.wall_limit_s == 1.5);
    CHECK(f.jobs[1].limits.memory_bytes == 64LL << 20);
    CHECK(f.jobs[1].limits.pids == 16);
    CHECK(f.jobs[1].limits.cpus == 0.5);
  }

  TEST_CASE("every bad line is reported with its number") {
    Dir d;
    const auto f = load_jobs(d.write("bad.jsonl",
                                     "{\"id\": \"a\", \"script\": \"a.py\"}\n"                     // 1 ok
                                     "{\"id\": \"a\", \"script\": \"a.py\"}\n"                     // 2 duplicate
                                     "not json\n"                                                  // 3
                                     "[1, 2]\n"                                                    // 4 not an object
                                     "{\"id\": \"x/y\", \"script\": \"a.py\"}\n"                   // 5 bad id
                                     "{\"id\": \"m\", \"script\": \"missing.py\"}\n"               // 6 missing file
                                     "{\"id\": \"t\", \"script\": \"a.py\", \"time_limit\": 0}\n"  // 7
                                     "{\"id\": \"u\", \"script\": \"a.py\", \"bogus\": 1}\n"       // 8 unknown key
                                     "{\"script\": \"a.py\"}\n"                                    // 9 no id
                                     "{\"id\": \"s\", \"script\": \"sub\"}\n"                      // 10 a folder
                                     "{\"id\": \"k\", \"script\": 5}\n"),                          // 11 not a string
                             Limits{});
    CHECK(f.jobs.size() == 1);
    for (int line = 2; line <= 11; ++line) {
      CAPTURE(line);
      CHECK(has_error(f, "bad.jsonl:" + std::to_string(line) + ":"));
    }
    CHECK_FALSE(has_error(f, "bad.jsonl:1:"));
    CHECK(has_error(f, "duplicate id 'a' (first on line 1)"));
    CHECK(has_error(f, "unknown key \"bogus\""));
  }

  TEST_CASE("CSV with a header, quoted cells and empty cells as defaults") {
    Dir d;
    const auto f = load_jobs(d.write("jobs.csv",
                                     "id,script,stdin,time_limit\r\n"
                                     "one,a.py,in.txt,2\r\n"
                                     "\"two\",\"sub/b.py\",,\r\n"),
                             Limits{});
    REQUIRE(f.errors.empty());
    REQUIRE(f.jobs.size() == 2);
    CHECK(f.jobs[0].limits.wall_limit_s == 2);
    CHECK(f.jobs[1].id == "two");
    CHECK_FALSE(f.jobs[1].stdin_file.has_value());
    CHECK(f.jobs[1].limits.wall_limit_s == Limits{}.wall_limit_s);
  }

  TEST_CASE("CSV errors: unknown column, missing required columns, wrong field count") {
    Dir d;
    CHECK(has_error(load_jobs(d.write("c1.csv", "id,script,color\n"), Limits{}), "c1.csv:1: unknown column \"color\""));
    CHECK(has_error(load_jobs(d.write("c2.csv", "id,stdin\n"), Limits{}), "needs the columns id and script"));
    CHECK(has_error(load_jobs(d.write("c3.csv", "id,script\none,a.py,extra\n"), Limits{}), "c3.csv:2: 3 fields"));
    CHECK(has_error(load_jobs(d.write("c4.csv", ""), Limits{}), "empty CSV"));
  }

  TEST_CASE("a missing file, a folder, and an empty file are errors") {
    Dir d;
    CHECK_FALSE(load_jobs((d.path / "nope.jsonl").string(), Limits{}).errors.empty());
    CHECK_FALSE(load_jobs(d.path.string(), Limits{}).errors.empty());
    CHECK(has_error(load_jobs(d.write("empty.jsonl", "\n\n"), Limits{}), "no jobs"));
  }

  TEST_CASE("split_csv_line") {
    std::vector<std::string> f;
    CHECK(split_csv_line("a,\"b,c\",\"d\"\"e\",", f));
    CHECK(f == std::vector<std::string>{"a", "b,c", "d\"e", ""});
    CHECK_FALSE(split_csv_line("a,\"open", f));
  }
}
