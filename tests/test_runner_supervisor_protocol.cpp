#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "supervisor_protocol.h"

using namespace pyjudge;

TEST_SUITE("runner/supervisor_protocol") {
  TEST_CASE("make_header is one JSON line with everything the supervisor needs") {
    Limits l;
    l.wall_limit_s = 2.5;
    l.kill_grace_s = 0.5;
    const std::string h = make_header("deadbeef0011", 12345, l);
    REQUIRE_FALSE(h.empty());
    CHECK(h.back() == '\n');
    CHECK(std::count(h.begin(), h.end(), '\n') == 1);

    nlohmann::json j;
    REQUIRE_NOTHROW(j = nlohmann::json::parse(h));
    REQUIRE(j.is_object());
    CHECK(j.at("v") == 1);
    CHECK(j.at("v") == kProtocolVersion);
    CHECK(j.at("nonce") == "deadbeef0011");
    CHECK(j.at("bundle_bytes").get<std::size_t>() == 12345);
    CHECK(j.at("entry") == "main.py");
    CHECK(j.at("entry") == kScriptName);
    CHECK(j.at("time_limit").get<double>() == doctest::Approx(2.5));
    CHECK(j.at("kill_grace").get<double>() == doctest::Approx(0.5));
  }

  TEST_CASE("record_marker is RS, pyjudge, the nonce, and colons") {
    CHECK(record_marker("abc123") == "\x1epyjudge:abc123:");
    CHECK(record_marker("abc123").front() == '\x1e');
    CHECK(record_marker("abc123").size() == 1 + 8 + 6 + 1);
    CHECK(record_marker("x") != record_marker("y"));
  }

  TEST_CASE("parse_record: a full record") {
    const auto r = parse_record(
        R"({"v":1,"rc":3,"signal":null,"wall_ns":1500000000,"cpu_ns":1400000000,"memory_peak":10485760,"oom_kills":0})");
    REQUIRE(r);
    REQUIRE(r->rc);
    CHECK(*r->rc == 3);
    CHECK_FALSE(r->signal);
    CHECK(r->wall_ns == 1'500'000'000);
    REQUIRE(r->cpu_ns);
    CHECK(*r->cpu_ns == 1'400'000'000);
    REQUIRE(r->memory_peak);
    CHECK(*r->memory_peak == 10485760);
    REQUIRE(r->oom_kills);
    CHECK(*r->oom_kills == 0);
  }

  TEST_CASE("parse_record: nulls for the optional fields") {
    const auto r = parse_record(
        R"({"v":1,"rc":null,"signal":9,"wall_ns":42,"cpu_ns":null,"memory_peak":null,"oom_kills":null})");
    REQUIRE(r);
    CHECK_FALSE(r->rc);
    REQUIRE(r->signal);
    CHECK(*r->signal == 9);
    CHECK(r->wall_ns == 42);
    CHECK_FALSE(r->cpu_ns);
    CHECK_FALSE(r->memory_peak);
    CHECK_FALSE(r->oom_kills);
  }

  TEST_CASE("parse_record: absent optional fields") {
    const auto r = parse_record(R"({"v":1,"rc":0,"wall_ns":7})");
    REQUIRE(r);
    REQUIRE(r->rc);
    CHECK(*r->rc == 0);
    CHECK_FALSE(r->signal);
    CHECK_FALSE(r->cpu_ns);
    CHECK_FALSE(r->memory_peak);
    CHECK_FALSE(r->oom_kills);
  }

  TEST_CASE("parse_record rejects bad JSON") {
    for (const char* bad : {"", "{", "not json", R"({"v":1,"rc":0,"wall_ns":7)", "[1,2]", "null"}) {
      CAPTURE(bad);
      const auto r = parse_record(bad);
      CHECK_FALSE(r);
      if (!r) CHECK_FALSE(r.error().message.empty());
    }
  }

  TEST_CASE("parse_record rejects a wrong or missing version") {
    CHECK_FALSE(parse_record(R"({"v":2,"rc":0,"wall_ns":7})"));
    CHECK_FALSE(parse_record(R"({"v":0,"rc":0,"wall_ns":7})"));
    CHECK_FALSE(parse_record(R"({"rc":0,"wall_ns":7})"));
    const auto r = parse_record(R"({"v":2,"rc":0,"wall_ns":7})");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("version") != std::string::npos);
  }

  TEST_CASE("parse_record rejects a record with neither rc nor signal") {
    const auto r = parse_record(R"({"v":1,"rc":null,"signal":null,"wall_ns":7})");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("neither rc nor signal") != std::string::npos);
    CHECK_FALSE(parse_record(R"({"v":1,"wall_ns":7})"));
  }

  TEST_CASE("parse_record rejects a missing wall time or wrongly typed fields") {
    CHECK_FALSE(parse_record(R"({"v":1,"rc":0})"));
    CHECK_FALSE(parse_record(R"({"v":1,"rc":"0","wall_ns":7})"));
    CHECK_FALSE(parse_record(R"({"v":1,"rc":0,"wall_ns":"7"})"));
    CHECK_FALSE(parse_record(R"({"v":1,"rc":0,"wall_ns":7,"oom_kills":"many"})"));
  }
}
