// The command line's option tables: every limit of the job-key table is an
// option with its default, and bad values are UsageErrors naming the option.
#include <doctest/doctest.h>

#include "judge/cli/errors.h"
#include "judge/cli/options.h"
#include "runner/job/job_keys.h"

using namespace pyjudge;
using namespace pyjudge::cli;

namespace {

po::variables_map parse(const std::vector<std::string>& args) {
  po::options_description d("test");
  add_limit_options(d);
  add_engine_options(d);
  add_pool_options(d);
  add_isolation_option(d);
  po::variables_map vm;
  REQUIRE(parse_or_help("usage", d, args, vm));
  return vm;
}

}  // namespace

TEST_SUITE("judge/cli/options") {
  TEST_CASE("every limit key of the table is an option; the defaults are Limits' own") {
    const auto vm = parse({});
    for (const auto& k : runner::job_keys())
      if (k.role != runner::KeyRole::Job) CHECK(vm.count(std::string(k.option)) == 1);
    const runner::Limits l = limits_from(vm);
    const runner::Limits def;
    CHECK(l.wall_limit_s == def.wall_limit_s);
    CHECK(l.memory_bytes == def.memory_bytes);
    CHECK(l.stdout_limit_bytes == def.stdout_limit_bytes);
    CHECK(l.cpu_time_limit_s == 0);
    CHECK(l.runtime.empty());
  }

  TEST_CASE("limit options set their limits") {
    const auto vm = parse({"--output-limit", "1k", "--memory", "64m", "--cpu-time-limit", "1.5", "--runtime", "runsc"});
    const runner::Limits l = limits_from(vm);
    CHECK(l.stdout_limit_bytes == 1024);
    CHECK(l.memory_bytes == 64LL << 20);
    CHECK(l.cpu_time_limit_s == 1.5);
    CHECK(l.runtime == "runsc");
  }

  TEST_CASE("bad values are UsageErrors that name the option") {
    try {
      (void)limits_from(parse({"--memory", "lots"}));
      FAIL("no UsageError");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).find("--memory") != std::string::npos);
    }
    CHECK_THROWS_AS((void)pool_options_from(parse({"--jobs", "0"})), UsageError);
    CHECK_THROWS_AS((void)pool_options_from(parse({"--retries", "11"})), UsageError);
    CHECK_THROWS_AS((void)isolation_from(parse({"--isolation", "none"})), UsageError);
    CHECK_THROWS_AS((void)seccomp_from(parse({"--seccomp", "unconfined"})), UsageError);
  }

  TEST_CASE("an unknown option is a UsageError") {
    po::options_description d("test");
    add_limit_options(d);
    po::variables_map vm;
    CHECK_THROWS_AS(parse_or_help("usage", d, {"--stdout-limit", "1k"}, vm), UsageError);
  }
}
