#include <doctest/doctest.h>

#include "tests/support/temp_dir.h"

#include <sys/stat.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "runner/job/job.h"
#include "runner/sandbox/job_runner.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using pyjudge::testing::TempDir;

namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

Job good_job(const TempDir& dir) {
  Job job;
  job.id = "job-1";
  job.script = dir.path() / "main.py";
  write_text(job.script, "print('hi')\n");
  return job;
}

}  // namespace

TEST_SUITE("runner/job") {
  TEST_CASE("is_valid_id accepts letters, digits, dot, underscore and dash after a letter or digit") {
    CHECK(is_valid_id("a"));
    CHECK(is_valid_id("A"));
    CHECK(is_valid_id("7"));
    CHECK(is_valid_id("A1.b_c-d"));
    CHECK(is_valid_id("a.."));
    CHECK(is_valid_id(std::string(64, 'x')));
  }

  TEST_CASE("is_valid_id rejects empty, too long, traversal and odd characters") {
    CHECK_FALSE(is_valid_id(""));
    CHECK_FALSE(is_valid_id(std::string(65, 'x')));
    CHECK_FALSE(is_valid_id("../x"));
    CHECK_FALSE(is_valid_id(".."));
    CHECK_FALSE(is_valid_id("a/b"));
    CHECK_FALSE(is_valid_id("a\\b"));
    CHECK_FALSE(is_valid_id(".hidden"));
    CHECK_FALSE(is_valid_id("-x"));
    CHECK_FALSE(is_valid_id("_x"));
    CHECK_FALSE(is_valid_id("a b"));
    CHECK_FALSE(is_valid_id("a:b"));
    CHECK_FALSE(is_valid_id("a\nb"));
    CHECK_FALSE(is_valid_id(std::string("a\0b", 3)));
    CHECK_FALSE(is_valid_id("caf\xc3\xa9"));  // "café" in UTF-8
    CHECK_FALSE(is_valid_id("\xc3\xa9t\xc3\xa9"));
  }

  TEST_CASE("validate(Job)") {
    TempDir dir;

    SUBCASE("a good job passes") {
      const Job job = good_job(dir);
      const auto s = validate(job);
      CHECK_MESSAGE(s, (s ? std::string() : s.error().message));
    }
    SUBCASE("a script that does not fit in /tmp is refused") {
      Job job = good_job(dir);
      job.limits.tmp_bytes = 1 << 20;
      write_text(job.script, std::string(1 << 20, '#'));
      const auto s = validate(job);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("does not fit") != std::string::npos);
      job.limits.tmp_bytes = 4 << 20;
      CHECK(bool(validate(job)));
    }
    SUBCASE("a good job with a stdin file passes") {
      Job job = good_job(dir);
      job.stdin_file = dir.path() / "input.txt";
      write_text(*job.stdin_file, "1 2\n");
      const auto s = validate(job);
      CHECK_MESSAGE(s, (s ? std::string() : s.error().message));
    }
    SUBCASE("a bad id is rejected") {
      Job job = good_job(dir);
      job.id = "../escape";
      const auto s = validate(job);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("id") != std::string::npos);
    }
    SUBCASE("a missing script is rejected, naming the path") {
      Job job = good_job(dir);
      job.script = dir.path() / "nope.py";
      const auto s = validate(job);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("nope.py") != std::string::npos);
    }
    SUBCASE("a script that is a directory is rejected") {
      Job job = good_job(dir);
      job.script = dir.path() / "pkg";
      fs::create_directory(job.script);
      const auto s = validate(job);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("directory") != std::string::npos);
    }
    SUBCASE("a script that is not a regular file is rejected") {
      Job job = good_job(dir);
      job.script = dir.path() / "fifo";
      REQUIRE(::mkfifo(job.script.c_str(), 0600) == 0);
      CHECK_FALSE(validate(job));
    }
    SUBCASE("a script larger than the maximum is rejected") {
      Job job = good_job(dir);
      fs::resize_file(job.script, static_cast<std::uintmax_t>(kMaxScriptBytes) + 1);
      const auto s = validate(job);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("larger") != std::string::npos);
    }
    SUBCASE("an unreadable stdin path is rejected, naming it") {
      Job job = good_job(dir);
      job.stdin_file = dir.path() / "missing-input.txt";
      const auto s = validate(job);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("missing-input.txt") != std::string::npos);
      CHECK(s.error().message.find("stdin") != std::string::npos);
    }
    SUBCASE("a stdin path that is a directory is rejected") {
      Job job = good_job(dir);
      job.stdin_file = dir.path();
      CHECK_FALSE(validate(job));
    }
    SUBCASE("bad limits are rejected") {
      Job job = good_job(dir);
      job.limits.memory_bytes = 4LL << 20;
      const auto s = validate(job);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("memory") != std::string::npos);
    }
  }

  TEST_CASE("the run_job functions never throw: an exception becomes an IE result naming it") {
    static_assert(
        noexcept(run_job_in(nullptr, std::string(), std::declval<const Job&>(), std::declval<const RunContext&>())));
    static_assert(
        noexcept(run_job(std::declval<Engine&>(), std::declval<const Job&>(), std::declval<const RunContext&>())));
    static_assert(
        noexcept(open_sandbox(std::declval<Engine&>(), std::declval<const Job&>(), std::declval<const RunContext&>())));
    Job job;
    job.id = "job-1";
    RunContext ctx;
    ctx.image = "pyjudge-runner:test";
    ctx.attempt = 2;

    SUBCASE("a std::exception: its what() is the message") {
      const JobResult r = exception_result(job, ctx, IeReason::EngineError,
                                           std::make_exception_ptr(std::runtime_error("getrandom failed")));
      CHECK(r.verdict == Verdict::IE);
      CHECK(r.ie_reason == IeReason::EngineError);
      CHECK(r.message.find("getrandom failed") != std::string::npos);
      CHECK(r.id == "job-1");
      CHECK(r.image == ctx.image);
      CHECK(r.attempts == 2);
      CHECK_FALSE(r.interrupted);
      // A complete result: --resume can read it back.
      const auto back = result_from_json(to_json(r));
      REQUIRE(back);
      CHECK(back->verdict == Verdict::IE);
      CHECK(back->message == r.message);
    }

    SUBCASE("anything else thrown is named as unknown") {
      const JobResult r = exception_result(job, ctx, IeReason::SetupError, std::make_exception_ptr(42));
      CHECK(r.verdict == Verdict::IE);
      CHECK(r.ie_reason == IeReason::SetupError);
      CHECK(r.message.find("unknown exception") != std::string::npos);
    }

    SUBCASE("no sandbox: IE engine_error with the reason, and a result.json") {
      TempDir dir("job-runner");
      ctx.out_dir = dir.path();
      const JobResult r = run_job_in(nullptr, "the engine is down", job, ctx);
      CHECK(r.verdict == Verdict::IE);
      CHECK(r.ie_reason == IeReason::EngineError);
      CHECK(r.message == "the engine is down");
      std::ifstream in(dir.path() / "job-1" / "result.json");
      CHECK(nlohmann::json::parse(in).at("reason") == "engine_error");
    }
  }
}
