// The supervisor protocol as both sides see it: frames, the run header and
// the record (runner/shared/protocol.h, runner/sandbox/supervisor_protocol.h).
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "runner/sandbox/supervisor_protocol.h"
#include "runner/shared/protocol.h"

using namespace pyjudge;
using namespace pyjudge::runner;
namespace proto = pyjudge::protocol;

namespace {

using Frames = std::vector<std::pair<char, std::string>>;

// Feeds `bytes` in pieces of `step` and collects the frames.
Frames read_all(const std::string& bytes, std::size_t step, proto::FrameReader::Result* last = nullptr) {
  proto::FrameReader r;
  Frames out;
  for (std::size_t off = 0; off < bytes.size(); off += step) {
    std::string_view piece = std::string_view(bytes).substr(off, step);
    for (;;) {
      char type = 0;
      std::string_view payload;
      const auto res = r.pop(piece, type, payload);
      if (last) *last = res;
      if (res != proto::FrameReader::Result::Frame) break;
      out.emplace_back(type, std::string(payload));
    }
  }
  return out;
}

const char* kNonce = "0123456789abcdef0123456789abcdef";

}  // namespace

TEST_SUITE("runner/shared/protocol") {
  TEST_CASE("a frame is a type byte, a big-endian length and the payload") {
    std::string s;
    proto::append_frame(s, 'I', "hello");
    CHECK(s == std::string("I\0\0\0\x05hello", 10));
    std::string big;
    proto::append_frame(big, 'O', std::string(0x010203, 'x'));
    CHECK(big.substr(0, 5) == std::string("O\x00\x01\x02\x03", 5));
  }

  TEST_CASE("frames come out whole however the stream is cut") {
    std::string s;
    proto::append_frame(s, 'R', "header");
    proto::append_frame(s, 'B', std::string(70000 > proto::kMaxFramePayload ? proto::kMaxFramePayload : 70000, 'b'));
    proto::append_frame(s, 'Z', "");
    proto::append_frame(s, 'I', "x");
    for (std::size_t step :
         {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{7}, std::size_t{4096}, s.size()}) {
      CAPTURE(step);
      const Frames f = read_all(s, step);
      REQUIRE(f.size() == 4);
      CHECK(f[0] == std::pair<char, std::string>{'R', "header"});
      CHECK(f[1].first == 'B');
      CHECK(f[1].second.size() == proto::kMaxFramePayload);
      CHECK(f[2] == std::pair<char, std::string>{'Z', ""});
      CHECK(f[3] == std::pair<char, std::string>{'I', "x"});
    }
  }

  TEST_CASE("a half-read frame is not a boundary; an oversized one is refused") {
    proto::FrameReader r;
    std::string s;
    proto::append_frame(s, 'O', "abc");
    std::string_view half = std::string_view(s).substr(0, 6);
    char type = 0;
    std::string_view payload;
    CHECK(r.pop(half, type, payload) == proto::FrameReader::Result::NeedMore);
    CHECK_FALSE(r.at_boundary());

    proto::FrameReader r2;
    std::string huge("O\x00\x01\x00\x01", 5);  // 65537 bytes: one past the maximum
    std::string_view v = huge;
    CHECK(r2.pop(v, type, payload) == proto::FrameReader::Result::Oversized);
  }

  TEST_CASE("the run header round-trips and keeps every digit of the limits") {
    Limits l;
    l.wall_limit_s = 1.234567891;
    l.kill_grace_s = 0;
    l.cpu_time_limit_s = 0.75;
    l.stdout_limit_bytes = 12345;
    l.stderr_limit_bytes = 678;
    const std::string text = make_run_header(kNonce, 4096, l);
    proto::RunHeader h;
    REQUIRE(proto::parse_run_header(text, h));
    CHECK(h.version == 5);
    CHECK(h.nonce == kNonce);
    CHECK(h.bundle_bytes == 4096);
    CHECK(h.entry == "main.py");
    CHECK(h.wall_limit_ns == 1'234'567'891);
    CHECK(h.kill_grace_ns == 0);
    CHECK(h.cpu_limit_ns == 750'000'000);
    CHECK(h.stdout_cap == 12345);
    CHECK(h.stderr_cap == 678);
  }

  TEST_CASE("malformed run headers are refused") {
    proto::RunHeader h;
    const std::string good = make_run_header(kNonce, 10, Limits{});
    CHECK(proto::parse_run_header(good, h));
    CHECK_FALSE(proto::parse_run_header("", h));
    CHECK_FALSE(proto::parse_run_header("2" + good.substr(1), h));  // another version
    CHECK_FALSE(proto::parse_run_header(good + " 1", h));           // a field too many
    CHECK_FALSE(proto::parse_run_header(good.substr(0, good.rfind(' ')), h));
    std::string bad_entry = good;
    bad_entry.replace(bad_entry.find("main.py"), 7, "../x.py");
    CHECK_FALSE(proto::parse_run_header(bad_entry, h));
    std::string bad_nonce = good;
    bad_nonce.replace(2, 4, "a-b!");
    CHECK_FALSE(proto::parse_run_header(bad_nonce, h));
    std::string negative = good;
    negative.replace(negative.find(" 2000000000 "), 12, " -2000000000 ");
    CHECK_FALSE(proto::parse_run_header(negative, h));
  }

  TEST_CASE("plain names and nonces") {
    CHECK(proto::is_plain_name("main.py"));
    CHECK_FALSE(proto::is_plain_name(".hidden"));
    CHECK_FALSE(proto::is_plain_name("a/b"));
    CHECK_FALSE(proto::is_plain_name(""));
    CHECK(proto::is_nonce(kNonce));
    CHECK_FALSE(proto::is_nonce("short"));
    CHECK_FALSE(proto::is_nonce("0123456789abcdef 123"));
  }

  TEST_CASE("parse_record reads every key") {
    const std::string payload = std::string(kNonce) +
                                " {\"v\":5,\"rc\":0,\"signal\":null,\"wall_ns\":21000000,\"cpu_ns\":19000000,"
                                "\"memory_peak\":8290304,\"oom_kills\":0,\"cause\":\"\",\"error_kind\":\"\","
                                "\"error\":\"\",\"cgroup\":\"v1\",\"reusable\":true}";
    const auto r = parse_record(payload, kNonce);
    REQUIRE(r);
    CHECK(r->rc == 0);
    CHECK_FALSE(r->signal);
    CHECK(r->wall_ns == 21'000'000);
    CHECK(r->cpu_ns == 19'000'000);
    CHECK(r->memory_peak == 8'290'304);
    CHECK(r->oom_kills == 0);
    CHECK(r->cause.empty());
    CHECK(r->reusable);
  }

  TEST_CASE("parse_record refuses a foreign nonce, another version and nonsense") {
    const std::string body =
        " {\"v\":5,\"rc\":0,\"signal\":null,\"wall_ns\":1,\"cpu_ns\":null,\"memory_peak\":null,\"oom_kills\":null,"
        "\"cause\":\"\",\"error_kind\":\"\",\"error\":\"\",\"cgroup\":\"none\",\"reusable\":true}";
    CHECK(parse_record(std::string(kNonce) + body, kNonce));
    CHECK_FALSE(parse_record(std::string("ffffffffffffffffffffffffffffffff") + body, kNonce));
    CHECK_FALSE(parse_record(body, kNonce));
    std::string v2 = std::string(kNonce) + body;
    v2.replace(v2.find("\"v\":5"), 5, "\"v\":2");
    CHECK_FALSE(parse_record(v2, kNonce));
    CHECK_FALSE(parse_record(std::string(kNonce) + " {not json", kNonce));
    std::string neither = std::string(kNonce) + body;
    neither.replace(neither.find("\"rc\":0"), 6, "\"rc\":null");
    CHECK_FALSE(parse_record(neither, kNonce));
  }

  TEST_CASE("a launch failure's record needs no exit status") {
    const std::string payload = std::string(kNonce) +
                                " {\"v\":5,\"rc\":null,\"signal\":null,\"wall_ns\":0,\"cpu_ns\":null,"
                                "\"memory_peak\":null,\"oom_kills\":null,\"cause\":\"\",\"error_kind\":\"launch\","
                                "\"error\":\"cannot execute python3: No such file or directory\",\"cgroup\":\"v1\","
                                "\"reusable\":true}";
    const auto r = parse_record(payload, kNonce);
    REQUIRE(r);
    CHECK(r->error_kind == "launch");
    CHECK(r->error.find("python3") != std::string::npos);
  }
}

TEST_SUITE("runner/shared/protocol: function runs") {
  TEST_CASE("a function run's entry names its module, and only a Python identifier") {
    bool collect = true;
    CHECK(protocol::functions_module("functions:stats", collect) == "stats");
    CHECK_FALSE(collect);
    CHECK(protocol::functions_module("collect:my_mod2", collect) == "my_mod2");
    CHECK(collect);
    for (const char* bad :
         {"main.py", "functions:", "functions:2x", "functions:a.b", "functions:a/b", "collect:a b", "function:stats"})
      CHECK_MESSAGE(protocol::functions_module(bad, collect).empty(), bad);
    CHECK(protocol::is_plain_name("functions:stats"));  // it travels in the header's ENTRY field
  }

  TEST_CASE("a function run's bundle holds paths under staff/ and work/ only, without a way up") {
    for (const char* good : {"staff/test_a.py", "work/stats.py", "work/data/in.csv", "staff/a/b/c/d/e/f/g.py"})
      CHECK_MESSAGE(protocol::is_function_bundle_path(good), good);
    for (const char* bad : {"stats.py", "staff", "other/x.py", "work/../staff/t.py", "work/.hidden", "work//x",
                            "/work/x", "work/x/", "staff/a/b/c/d/e/f/g/h.py", "work/.."})
      CHECK_FALSE_MESSAGE(protocol::is_function_bundle_path(bad), bad);
  }
}
