#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "supervisor_protocol.h"

using namespace pyjudge;

namespace {

// Splits on single spaces, keeping empty fields (as supervise.py's
// str.split(" ") does), so a doubled space shows up as a bad field count.
std::vector<std::string> split_spaces(const std::string& line) {
  std::vector<std::string> out;
  std::string::size_type start = 0;
  while (true) {
    const auto sp = line.find(' ', start);
    out.push_back(line.substr(start, sp == std::string::npos ? std::string::npos : sp - start));
    if (sp == std::string::npos) return out;
    start = sp + 1;
  }
}

// A record as supervise.py writes it, with the given version and body fields.
std::string record_json(int version, const std::string& fields) {
  return "{\"v\": " + std::to_string(version) + (fields.empty() ? "" : ", " + fields) + "}";
}

}  // namespace

TEST_SUITE("runner/supervisor_protocol") {
  TEST_CASE("the protocol version matches the runner image's (org.pyjudge.protocol=2)") {
    CHECK(kProtocolVersion == 2);
    CHECK(std::string(kScriptName) == "main.py");
  }

  TEST_CASE("make_header is one line of seven space-separated fields") {
    Limits l;
    l.wall_limit_s = 2.5;
    l.kill_grace_s = 0.5;
    const std::string h = make_header("deadbeef0011", 12345, l);
    REQUIRE_FALSE(h.empty());
    CHECK(h.back() == '\n');
    CHECK(std::count(h.begin(), h.end(), '\n') == 1);
    CHECK(std::all_of(h.begin(), h.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); }));

    const auto f = split_spaces(h.substr(0, h.size() - 1));
    REQUIRE(f.size() == 7);
    CHECK(f[0] == "pyjudge");
    CHECK(f[1] == std::to_string(kProtocolVersion));
    CHECK(f[1] == "2");
    CHECK(f[2] == "deadbeef0011");
    CHECK(f[3] == "12345");
    CHECK(f[4] == "main.py");
    CHECK(std::stod(f[5]) == doctest::Approx(2.5));
    CHECK(std::stod(f[6]) == doctest::Approx(0.5));
  }

  TEST_CASE("make_header writes the limits so they read back exactly") {
    for (double limit : {1.0, 2.0, 0.1, 0.3, 1.75, 86400.0, 12345.678}) {
      CAPTURE(limit);
      Limits l;
      l.wall_limit_s = limit;
      l.kill_grace_s = 0;
      const std::string h = make_header("n0", 0, l);
      const auto f = split_spaces(h.substr(0, h.size() - 1));
      REQUIRE(f.size() == 7);
      CHECK(std::stod(f[5]) == limit);  // exact: the supervisor's timeout uses this value
      CHECK(std::stod(f[6]) == 0.0);
      CHECK(f[3] == "0");
    }
  }

  TEST_CASE("make_header carries a large bundle size in full") {
    const std::size_t big = std::size_t{1} << 40;
    const std::string h = make_header("abc", big, Limits{});
    const auto f = split_spaces(h.substr(0, h.size() - 1));
    REQUIRE(f.size() == 7);
    CHECK(f[3] == std::to_string(big));
  }

  TEST_CASE("record_marker is RS, pyjudge, the nonce, and colons") {
    CHECK(record_marker("abc123") == "\x1epyjudge:abc123:");
    CHECK(record_marker("abc123").front() == '\x1e');
    CHECK(record_marker("abc123").size() == 1 + 8 + 6 + 1);
    CHECK(record_marker("x") != record_marker("y"));
  }

  TEST_CASE("parse_record: a full record as supervise.py formats it") {
    const auto r = parse_record(record_json(
        kProtocolVersion,
        R"("rc": 3, "signal": null, "wall_ns": 1500000000, "cpu_ns": 1400000000, "memory_peak": 10485760, )"
        R"("oom_kills": 0, "cgroup": "v2")"));
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
    const auto r = parse_record(record_json(
        kProtocolVersion,
        R"("rc": null, "signal": 9, "wall_ns": 42, "cpu_ns": null, "memory_peak": null, "oom_kills": null)"));
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
    const auto r = parse_record(record_json(kProtocolVersion, R"("rc": 0, "wall_ns": 7)"));
    REQUIRE(r);
    REQUIRE(r->rc);
    CHECK(*r->rc == 0);
    CHECK(r->wall_ns == 7);
    CHECK_FALSE(r->signal);
    CHECK_FALSE(r->cpu_ns);
    CHECK_FALSE(r->memory_peak);
    CHECK_FALSE(r->oom_kills);
  }

  TEST_CASE("parse_record rejects bad JSON") {
    for (const char* bad : {"", "{", "not json", R"({"v": 2, "rc": 0, "wall_ns": 7)", "[1,2]", "null", "2"}) {
      CAPTURE(bad);
      const auto r = parse_record(bad);
      CHECK_FALSE(r);
      if (!r) CHECK_FALSE(r.error().message.empty());
    }
  }

  TEST_CASE("parse_record rejects a wrong or missing version") {
    CHECK_FALSE(parse_record(record_json(kProtocolVersion + 1, R"("rc": 0, "wall_ns": 7)")));
    CHECK_FALSE(parse_record(record_json(kProtocolVersion - 1, R"("rc": 0, "wall_ns": 7)")));
    CHECK_FALSE(parse_record(record_json(0, R"("rc": 0, "wall_ns": 7)")));
    CHECK_FALSE(parse_record(R"({"rc": 0, "wall_ns": 7})"));
    const auto r = parse_record(record_json(1, R"("rc": 0, "wall_ns": 7)"));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("version") != std::string::npos);
  }

  TEST_CASE("parse_record rejects a record with neither rc nor signal") {
    const auto r = parse_record(record_json(kProtocolVersion, R"("rc": null, "signal": null, "wall_ns": 7)"));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("neither rc nor signal") != std::string::npos);
    CHECK_FALSE(parse_record(record_json(kProtocolVersion, R"("wall_ns": 7)")));
  }

  TEST_CASE("parse_record rejects a missing wall time or wrongly typed fields") {
    CHECK_FALSE(parse_record(record_json(kProtocolVersion, R"("rc": 0)")));
    CHECK_FALSE(parse_record(record_json(kProtocolVersion, R"("rc": "0", "wall_ns": 7)")));
    CHECK_FALSE(parse_record(record_json(kProtocolVersion, R"("rc": 0, "wall_ns": "7")")));
    CHECK_FALSE(parse_record(record_json(kProtocolVersion, R"("rc": 0, "wall_ns": 7, "oom_kills": "many")")));
  }
}
