#include <set>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/job/job_keys.h"
#include "runner/job/job_limits.h"

using namespace pyjudge;
using namespace pyjudge::runner;

TEST_SUITE("runner/job/job_limits") {
  TEST_CASE("parse_size accepts a number with an optional b, k, m or g suffix") {
    SUBCASE("suffixes are powers of 1024") {
      auto m = parse_size("256m");
      REQUIRE(m);
      CHECK(*m == 268435456);
      auto g = parse_size("1g");
      REQUIRE(g);
      CHECK(*g == 1073741824);
      auto k = parse_size("512k");
      REQUIRE(k);
      CHECK(*k == 524288);
      auto b = parse_size("10b");
      REQUIRE(b);
      CHECK(*b == 10);
    }
    SUBCASE("a bare number is bytes") {
      auto n = parse_size("100");
      REQUIRE(n);
      CHECK(*n == 100);
    }
    SUBCASE("suffixes are case-insensitive") {
      auto upper_m = parse_size("256M");
      REQUIRE(upper_m);
      CHECK(*upper_m == 256LL << 20);
      auto upper_g = parse_size("2G");
      REQUIRE(upper_g);
      CHECK(*upper_g == 2LL << 30);
      auto upper_k = parse_size("3K");
      REQUIRE(upper_k);
      CHECK(*upper_k == 3LL << 10);
      auto upper_b = parse_size("7B");
      REQUIRE(upper_b);
      CHECK(*upper_b == 7);
    }
  }

  TEST_CASE("parse_size rejects malformed sizes") {
    for (const std::string bad : {"", "m", "-1m", "-1", "1.5m", "12x", "x", "1 m", " 1m", "m1", "1mm", "+1m", "0x10"}) {
      CAPTURE(bad);
      const auto r = parse_size(bad);
      CHECK_FALSE(r);
      if (!r) CHECK_FALSE(r.error().message.empty());
    }
  }

  TEST_CASE("parse_size rejects sizes that overflow") {
    SUBCASE("digits beyond int64") {
      CHECK_FALSE(parse_size("99999999999999999999"));
      CHECK_FALSE(parse_size("99999999999999999999m"));
    }
    SUBCASE("in range as a number but too large once scaled") {
      const auto r = parse_size("9223372036854775807g");
      CHECK_FALSE(r);
      const auto r2 = parse_size("8796093022208g");  // 2^43 GiB: would overflow int64
      CHECK_FALSE(r2);
    }
    SUBCASE("the ceiling is 2^50 bytes") {
      auto at = parse_size("1048576g");  // 2^20 GiB = 2^50
      REQUIRE(at);
      CHECK(*at == std::int64_t{1} << 50);
      const auto above = parse_size("1048577g");
      REQUIRE_FALSE(above);
      CHECK(above.error().message.find("too large") != std::string::npos);
    }
  }

  TEST_CASE("parse_positive accepts positive decimals up to the maximum") {
    auto a = parse_positive("2.5", "time limit", 100);
    REQUIRE(a);
    CHECK(*a == doctest::Approx(2.5));
    auto b = parse_positive("0.01", "cpus", 4);
    REQUIRE(b);
    CHECK(*b == doctest::Approx(0.01));
    auto c = parse_positive("3", "cpus", 4);
    REQUIRE(c);
    CHECK(*c == doctest::Approx(3.0));
    auto at_max = parse_positive("4", "cpus", 4);
    REQUIRE(at_max);
    CHECK(*at_max == doctest::Approx(4.0));
  }

  TEST_CASE("parse_positive rejects zero, negatives, non-numbers and values above the maximum") {
    for (const std::string bad :
         {"0", "0.0", "-1", "-0.5", "abc", "nan", "NaN", "inf", "-inf", "infinity", "", "1s", " 1", "1e999"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_positive(bad, "time limit", 1e9));
    }
    SUBCASE("above the maximum") {
      const auto r = parse_positive("5", "cpus", 4);
      REQUIRE_FALSE(r);
      CHECK(r.error().message.find("cpus") != std::string::npos);
    }
    SUBCASE("the message names the field") {
      const auto r = parse_positive("abc", "time limit", 10);
      REQUIRE_FALSE(r);
      CHECK(r.error().message.find("time limit") != std::string::npos);
      CHECK(r.error().message.find("abc") != std::string::npos);
    }
  }

  TEST_CASE("validate accepts the defaults and checks every bound") {
    CHECK(validate(Limits{}));

    SUBCASE("time limit") {
      Limits l;
      l.wall_limit_s = 0;
      CHECK_FALSE(validate(l));
      l.wall_limit_s = -1;
      CHECK_FALSE(validate(l));
      l.wall_limit_s = std::numeric_limits<double>::quiet_NaN();
      CHECK_FALSE(validate(l));
      l.wall_limit_s = kMaxWallLimitS + 1;
      CHECK_FALSE(validate(l));
      l.wall_limit_s = kMaxWallLimitS;
      CHECK(validate(l));
      l.wall_limit_s = 0.001;
      CHECK(validate(l));
    }
    SUBCASE("kill grace") {
      Limits l;
      l.kill_grace_s = -0.1;
      CHECK_FALSE(validate(l));
      l.kill_grace_s = 61;
      CHECK_FALSE(validate(l));
      l.kill_grace_s = 0;
      CHECK(validate(l));
      l.kill_grace_s = 60;
      CHECK(validate(l));
    }
    SUBCASE("memory below 16m is rejected") {
      Limits l;
      l.memory_bytes = 4LL << 20;
      const auto s = validate(l);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("memory") != std::string::npos);
      CHECK(s.error().message.find("4m") != std::string::npos);
      l.memory_bytes = kMinMemoryBytes - 1;
      CHECK_FALSE(validate(l));
      l.memory_bytes = kMinMemoryBytes;
      CHECK(validate(l));
    }
    SUBCASE("cpus") {
      Limits l;
      l.cpus = 0;
      CHECK_FALSE(validate(l));
      l.cpus = 0.009;
      CHECK_FALSE(validate(l));
      l.cpus = 1025;
      CHECK_FALSE(validate(l));
      l.cpus = std::numeric_limits<double>::quiet_NaN();
      CHECK_FALSE(validate(l));
      l.cpus = 0.01;
      CHECK(validate(l));
      l.cpus = 1024;
      CHECK(validate(l));
    }
    SUBCASE("pids") {
      Limits l;
      l.pids = 7;
      const auto s = validate(l);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("pids") != std::string::npos);
      l.pids = 0;
      CHECK_FALSE(validate(l));
      l.pids = 1'000'001;
      CHECK_FALSE(validate(l));
      l.pids = 8;
      CHECK(validate(l));
      l.pids = 1'000'000;
      CHECK(validate(l));
    }
    SUBCASE("output limits") {
      Limits l;
      l.stdout_limit_bytes = 0;
      CHECK_FALSE(validate(l));
      l.stdout_limit_bytes = 1;
      CHECK(validate(l));
      l.stderr_limit_bytes = 0;
      CHECK_FALSE(validate(l));
      l.stderr_limit_bytes = 1;
      CHECK(validate(l));
    }
    SUBCASE("tmp size") {
      Limits l;
      l.tmp_bytes = (1LL << 20) - 1;
      CHECK_FALSE(validate(l));
      l.tmp_bytes = 1LL << 20;
      CHECK(validate(l));
    }
  }

  TEST_CASE("host deadline is the limit plus grace plus slack") {
    Limits l;
    l.wall_limit_s = 2.5;
    l.kill_grace_s = 1.0;
    CHECK(l.host_deadline_s() == doctest::Approx(6.5));
  }

  TEST_CASE("format_size uses the largest exact unit") {
    CHECK(format_size(256LL << 20) == "256m");
    CHECK(format_size(1LL << 30) == "1g");
    CHECK(format_size(3LL << 30) == "3g");
    CHECK(format_size(512LL << 10) == "512k");
    CHECK(format_size(1024) == "1k");
    CHECK(format_size(1536) == "1536b");
    CHECK(format_size(1536LL << 10) == "1536k");
    CHECK(format_size(10) == "10b");
    CHECK(format_size(0) == "0b");
  }

  TEST_CASE("format_size output parses back to the same size") {
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{1}, std::int64_t{1023}, std::int64_t{4096},
                           std::int64_t{5} << 20, (std::int64_t{7} << 30) + 1024, std::int64_t{1} << 40}) {
      CAPTURE(v);
      const auto back = parse_size(format_size(v));
      REQUIRE(back);
      CHECK(*back == v);
    }
  }

  TEST_CASE("to_json carries every limit") {
    Limits l;
    l.wall_limit_s = 3.5;
    l.memory_bytes = 128LL << 20;
    l.pids = 32;
    const auto j = to_json(l);
    CHECK(j.at("time_limit").get<double>() == doctest::Approx(3.5));
    CHECK(j.at("kill_grace").get<double>() == doctest::Approx(l.kill_grace_s));
    CHECK(j.at("memory").get<std::int64_t>() == 128LL << 20);
    CHECK(j.at("cpus").get<double>() == doctest::Approx(l.cpus));
    CHECK(j.at("pids").get<std::int64_t>() == 32);
    CHECK(j.at("output_limit").get<std::int64_t>() == l.stdout_limit_bytes);
    CHECK(j.at("stderr_limit").get<std::int64_t>() == l.stderr_limit_bytes);
    CHECK(j.at("tmp_size").get<std::int64_t>() == l.tmp_bytes);
  }

  TEST_CASE("limit_keys lists the ten keys in order") {
    const std::vector<std::string> expected = {"time_limit",   "kill_grace",   "memory",   "cpus",           "pids",
                                               "output_limit", "stderr_limit", "tmp_size", "cpu_time_limit", "runtime"};
    CHECK(limit_keys() == expected);
  }

  TEST_CASE("runtime: a registered runtime's name, or default; it is part of the container's identity") {
    Limits l;
    REQUIRE(set_limit(l, "runtime", "runsc"));
    CHECK(l.runtime == "runsc");
    CHECK(to_json(l).at("runtime") == "runsc");
    CHECK_FALSE(l.same_container_limits(Limits{}));
    REQUIRE(set_limit(l, "runtime", "default"));
    CHECK(l.runtime.empty());
    CHECK(to_json(l).at("runtime").is_null());
    CHECK(l.same_container_limits(Limits{}));
    const auto bad = set_limit(l, "runtime", "run sc;");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("runtime must be 1-64 of") == 0);
  }

  TEST_CASE("set_limit sets each field from its text form") {
    Limits l;
    REQUIRE(set_limit(l, "time_limit", "3.5"));
    CHECK(l.wall_limit_s == doctest::Approx(3.5));
    REQUIRE(set_limit(l, "kill_grace", "0.25"));
    CHECK(l.kill_grace_s == doctest::Approx(0.25));
    REQUIRE(set_limit(l, "memory", "128m"));
    CHECK(l.memory_bytes == 128LL << 20);
    REQUIRE(set_limit(l, "cpus", "0.5"));
    CHECK(l.cpus == doctest::Approx(0.5));
    REQUIRE(set_limit(l, "pids", "32"));
    CHECK(l.pids == 32);
    REQUIRE(set_limit(l, "output_limit", "1k"));
    CHECK(l.stdout_limit_bytes == 1024);
    REQUIRE(set_limit(l, "stderr_limit", "2k"));
    CHECK(l.stderr_limit_bytes == 2048);
    REQUIRE(set_limit(l, "tmp_size", "16m"));
    CHECK(l.tmp_bytes == 16LL << 20);
    CHECK(validate(l));
  }

  TEST_CASE("set_limit: a kill grace of 0 is allowed") {
    Limits l;
    REQUIRE(set_limit(l, "kill_grace", "0"));
    CHECK(l.kill_grace_s == 0.0);
    CHECK(validate(l));
  }

  // A regression test (runner/job/job_limits.cpp, set_limit): "0.0" was once
  // refused as "must be positive", although 0 is a valid grace.
  TEST_CASE("set_limit: a kill grace of 0.0 is the same as 0") {
    Limits l;
    CHECK(set_limit(l, "kill_grace", "0.0"));
  }

  TEST_CASE("set_limit rejects bad values and leaves the field alone, naming the key") {
    Limits l;
    const Limits before;
    struct Bad {
      const char* key;
      const char* value;
    };
    for (const Bad& b :
         {Bad{"time_limit", "0"}, Bad{"time_limit", "abc"}, Bad{"time_limit", "86401"}, Bad{"kill_grace", "-1"},
          Bad{"kill_grace", "61"}, Bad{"memory", "12x"}, Bad{"memory", "-1m"}, Bad{"cpus", "0"}, Bad{"cpus", "1025"},
          Bad{"pids", "64.5"}, Bad{"pids", "-3"}, Bad{"pids", "many"}, Bad{"output_limit", "1.5m"},
          Bad{"stderr_limit", ""}, Bad{"tmp_size", "m"}}) {
      CAPTURE(b.key);
      CAPTURE(b.value);
      const auto s = set_limit(l, b.key, b.value);
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find(b.key) != std::string::npos);
    }
    CHECK(l.wall_limit_s == before.wall_limit_s);
    CHECK(l.kill_grace_s == before.kill_grace_s);
    CHECK(l.memory_bytes == before.memory_bytes);
    CHECK(l.cpus == before.cpus);
    CHECK(l.pids == before.pids);
    CHECK(l.stdout_limit_bytes == before.stdout_limit_bytes);
    CHECK(l.stderr_limit_bytes == before.stderr_limit_bytes);
    CHECK(l.tmp_bytes == before.tmp_bytes);
  }

  TEST_CASE("JSON limit values: numbers, whole numbers written as floats, strings") {
    CHECK(limit_json_text(nlohmann::json(2)) == "2");
    CHECK(limit_json_text(nlohmann::json(1.5)) == "1.5");
    CHECK(limit_json_text(nlohmann::json(1e9)) == "1000000000");
    CHECK(limit_json_text(nlohmann::json(256000000.0)) == "256000000");
    CHECK(limit_json_text(nlohmann::json("64m")) == "64m");
    CHECK_FALSE(limit_json_text(nlohmann::json(nullptr)).has_value());
    CHECK_FALSE(limit_json_text(nlohmann::json::array()).has_value());
    Limits l;
    CHECK(bool(set_limit_json(l, "memory", nlohmann::json(1e8))));
    CHECK(l.memory_bytes == 100000000);
    CHECK(bool(set_limit_json(l, "time_limit", nlohmann::json(0.25))));
    CHECK(l.wall_limit_s == 0.25);
    CHECK_FALSE(bool(set_limit_json(l, "memory", nlohmann::json(true))));
    CHECK_FALSE(bool(set_limit_json(l, "memory", nlohmann::json(18446744073709551615ULL))));
  }

  TEST_CASE("set_limit rejects an unknown key") {
    Limits l;
    for (const std::string key : {"", "memory_limit", "Memory", "stdout", "timeout", "id"}) {
      CAPTURE(key);
      const auto s = set_limit(l, key, "1");
      REQUIRE_FALSE(s);
      CHECK(s.error().message.find("unknown") != std::string::npos);
    }
  }
  TEST_CASE("stdout_limit is output_limit's alias on input; output says output_limit") {
    Limits l;
    REQUIRE(set_limit(l, "stdout_limit", "3k"));
    CHECK(l.stdout_limit_bytes == 3 << 10);
    const auto j = to_json(l);
    CHECK(j.contains("output_limit"));
    CHECK_FALSE(j.contains("stdout_limit"));
  }

  TEST_CASE("limits_from_json reads a result.json written before the rename, and refuses unknown keys") {
    Limits l;
    l.stdout_limit_bytes = 5 << 10;
    auto old = to_json(l);
    old["stdout_limit"] = old["output_limit"];
    old.erase("output_limit");
    const auto back = limits_from_json(old);
    REQUIRE(back);
    CHECK(back->stdout_limit_bytes == 5 << 10);

    auto both = to_json(l);
    both["stdout_limit"] = 1;
    REQUIRE_FALSE(limits_from_json(both));
    CHECK(limits_from_json(both).error().message.find("twice") != std::string::npos);

    auto unknown = to_json(l);
    unknown["gpu"] = 1;
    REQUIRE_FALSE(limits_from_json(unknown));
    CHECK(limits_from_json(unknown).error().message.find("unknown key \"gpu\"") != std::string::npos);
  }

  TEST_CASE("every limit key of the table has an option, and each name and option is used once") {
    std::set<std::string_view> names;
    std::set<std::string_view> options;
    for (const auto& k : job_keys()) {
      CHECK(names.insert(k.name).second);
      if (!k.alias.empty()) CHECK(names.insert(k.alias).second);
      if (k.role != KeyRole::Job) {
        CHECK_FALSE(k.option.empty());
        CHECK(options.insert(k.option).second);
        CHECK(find_job_key(k.name)->name == k.name);
      } else {
        CHECK(k.option.empty());
      }
    }
    CHECK(find_job_key("stdout_limit")->name == "output_limit");
    CHECK_FALSE(find_job_key("stdout"));
  }
}
