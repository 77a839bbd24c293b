#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runner/engine/stream_demux.h"

using namespace pyjudge;
using namespace pyjudge::runner;

namespace {

std::string frame(std::uint8_t type, const std::string& payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::string h = {static_cast<char>(type),
                   0,
                   0,
                   0,
                   static_cast<char>((n >> 24) & 0xff),
                   static_cast<char>((n >> 16) & 0xff),
                   static_cast<char>((n >> 8) & 0xff),
                   static_cast<char>(n & 0xff)};
  return h + payload;
}

// Collects what the demux emits, merging consecutive pieces of one stream.
struct Collector {
  std::string out;
  std::string err;
  std::vector<std::pair<StreamId, std::string>> pieces;
  int calls = 0;

  StreamDemux::Sink sink() {
    return [this](StreamId id, std::string_view d) {
      ++calls;
      if (id == StreamId::Stdout) out.append(d);
      if (id == StreamId::Stderr) err.append(d);
      if (!pieces.empty() && pieces.back().first == id)
        pieces.back().second.append(d);
      else
        pieces.emplace_back(id, std::string(d));
    };
  }
};

}  // namespace

TEST_SUITE("runner/engine/stream_demux") {
  TEST_CASE("a single stdout frame") {
    Collector c;
    StreamDemux d(c.sink());
    REQUIRE(d.feed(frame(1, "hello\n")));
    CHECK(c.out == "hello\n");
    CHECK(c.err.empty());
    CHECK(d.at_frame_boundary());
  }

  TEST_CASE("stdout and stderr frames interleaved in one feed") {
    Collector c;
    StreamDemux d(c.sink());
    const std::string data = frame(1, "a1") + frame(2, "e1") + frame(1, "a2") + frame(2, "e2-long") + frame(1, "a3");
    REQUIRE(d.feed(data));
    CHECK(c.out == "a1a2a3");
    CHECK(c.err == "e1e2-long");
    REQUIRE(c.pieces.size() == 5);
    CHECK(c.pieces[0] == std::pair<StreamId, std::string>{StreamId::Stdout, "a1"});
    CHECK(c.pieces[1] == std::pair<StreamId, std::string>{StreamId::Stderr, "e1"});
    CHECK(c.pieces[2] == std::pair<StreamId, std::string>{StreamId::Stdout, "a2"});
    CHECK(c.pieces[3] == std::pair<StreamId, std::string>{StreamId::Stderr, "e2-long"});
    CHECK(c.pieces[4] == std::pair<StreamId, std::string>{StreamId::Stdout, "a3"});
    CHECK(d.at_frame_boundary());
  }

  TEST_CASE("a frame header split across two feeds at every byte offset") {
    const std::string data = frame(2, "err!") + frame(1, "out");
    for (std::size_t cut = 0; cut <= 8; ++cut) {
      CAPTURE(cut);
      Collector c;
      StreamDemux d(c.sink());
      REQUIRE(d.feed(std::string_view(data).substr(0, cut)));
      CHECK(c.calls == 0);
      CHECK(d.at_frame_boundary() == (cut == 0));
      REQUIRE(d.feed(std::string_view(data).substr(cut)));
      CHECK(c.err == "err!");
      CHECK(c.out == "out");
      CHECK(d.at_frame_boundary());
    }
  }

  TEST_CASE("a stream cut at every offset and fed in two halves") {
    const std::string data = frame(1, "first") + frame(2, "second") + frame(1, "") + frame(1, "third");
    for (std::size_t cut = 0; cut <= data.size(); ++cut) {
      CAPTURE(cut);
      Collector c;
      StreamDemux d(c.sink());
      REQUIRE(d.feed(std::string_view(data).substr(0, cut)));
      REQUIRE(d.feed(std::string_view(data).substr(cut)));
      CHECK(c.out == "firstthird");
      CHECK(c.err == "second");
      CHECK(d.at_frame_boundary());
    }
  }

  TEST_CASE("the stream fed one byte at a time") {
    const std::string data = frame(1, "one") + frame(2, "two") + frame(1, "three");
    Collector c;
    StreamDemux d(c.sink());
    for (char ch : data) REQUIRE(d.feed(std::string_view(&ch, 1)));
    CHECK(c.out == "onethree");
    CHECK(c.err == "two");
    CHECK(d.at_frame_boundary());
  }

  TEST_CASE("a payload split across feeds") {
    const std::string payload(1000, 'x');
    const std::string data = frame(1, payload);
    Collector c;
    StreamDemux d(c.sink());
    REQUIRE(d.feed(std::string_view(data).substr(0, 8 + 300)));
    CHECK(c.out.size() == 300);
    CHECK_FALSE(d.at_frame_boundary());
    REQUIRE(d.feed(std::string_view(data).substr(8 + 300, 500)));
    CHECK(c.out.size() == 800);
    CHECK_FALSE(d.at_frame_boundary());
    REQUIRE(d.feed(std::string_view(data).substr(8 + 800)));
    CHECK(c.out == payload);
    CHECK(d.at_frame_boundary());
  }

  TEST_CASE("a large frame length uses all four length bytes") {
    const std::string payload(70'000, 'q');  // > 65535: the third length byte is nonzero
    Collector c;
    StreamDemux d(c.sink());
    REQUIRE(d.feed(frame(2, payload) + frame(1, "after")));
    CHECK(c.err == payload);
    CHECK(c.out == "after");
  }

  TEST_CASE("a zero-length frame emits nothing and keeps the stream in sync") {
    Collector c;
    StreamDemux d(c.sink());
    REQUIRE(d.feed(frame(1, "")));
    CHECK(c.out.empty());
    CHECK(c.err.empty());
    CHECK(d.at_frame_boundary());
    REQUIRE(d.feed(frame(2, "next")));
    CHECK(c.err == "next");
  }

  TEST_CASE("payload bytes that look like headers are data") {
    const std::string inner = frame(2, "not a frame");
    Collector c;
    StreamDemux d(c.sink());
    REQUIRE(d.feed(frame(1, inner)));
    CHECK(c.out == inner);
    CHECK(c.err.empty());
  }

  TEST_CASE("stdin frames (type 0) never come from the engine: malformed") {
    std::vector<StreamId> ids;
    StreamDemux d([&](StreamId id, std::string_view) { ids.push_back(id); });
    CHECK_FALSE(d.feed(frame(0, "in")));
    CHECK(ids.empty());
  }

  TEST_CASE("a malformed header is an error") {
    SUBCASE("unknown stream type 7") {
      Collector c;
      StreamDemux d(c.sink());
      const auto s = d.feed(frame(7, "x"));
      CHECK_FALSE(s);
      CHECK(c.calls == 0);
    }
    SUBCASE("stream type 3") {
      Collector c;
      StreamDemux d(c.sink());
      CHECK_FALSE(d.feed(frame(3, "x")));
    }
    for (int reserved = 1; reserved <= 3; ++reserved) {
      CAPTURE(reserved);
      std::string bad = frame(1, "x");
      bad[static_cast<std::size_t>(reserved)] = 1;
      Collector c;
      StreamDemux d(c.sink());
      CHECK_FALSE(d.feed(bad));
      CHECK(c.calls == 0);
    }
    SUBCASE("after good frames, split across feeds") {
      Collector c;
      StreamDemux d(c.sink());
      REQUIRE(d.feed(frame(1, "ok")));
      const std::string bad = frame(7, "x");
      REQUIRE(d.feed(std::string_view(bad).substr(0, 3)));
      CHECK_FALSE(d.feed(std::string_view(bad).substr(3)));
      CHECK(c.out == "ok");
    }
  }

  TEST_CASE("at_frame_boundary tracks half-read frames") {
    Collector c;
    StreamDemux d(c.sink());
    CHECK(d.at_frame_boundary());
    const std::string data = frame(1, "abc");
    REQUIRE(d.feed(std::string_view(data).substr(0, 4)));  // half a header
    CHECK_FALSE(d.at_frame_boundary());
    REQUIRE(d.feed(std::string_view(data).substr(4, 4)));  // header done, payload pending
    CHECK_FALSE(d.at_frame_boundary());
    REQUIRE(d.feed(std::string_view(data).substr(8, 2)));
    CHECK_FALSE(d.at_frame_boundary());
    REQUIRE(d.feed(std::string_view(data).substr(10)));
    CHECK(d.at_frame_boundary());
    CHECK(c.out == "abc");
  }
}
