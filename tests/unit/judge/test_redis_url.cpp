#include <doctest/doctest.h>

#include "judge/farm/redis_url.h"

using namespace pyjudge;
using namespace pyjudge::judge;

TEST_SUITE("judge/farm/redis_url") {
  TEST_CASE("host, port and database, with defaults") {
    auto u = parse_redis_url("redis://127.0.0.1");
    REQUIRE(u);
    CHECK(u->host == "127.0.0.1");
    CHECK(u->port == 6379);
    CHECK(u->db == 0);
    CHECK(u->user.empty());
    CHECK(u->password.empty());
    u = parse_redis_url("redis://queue.example:6400/3");
    REQUIRE(u);
    CHECK(u->host == "queue.example");
    CHECK(u->port == 6400);
    CHECK(u->db == 3);
    u = parse_redis_url("redis://[::1]:7000/");
    REQUIRE(u);
    CHECK(u->host == "::1");
    CHECK(u->port == 7000);
    CHECK(u->shown() == "redis://[::1]:7000/0");
  }

  TEST_CASE("credentials: USER:PASSWORD, :PASSWORD, escapes, and the password masked when shown") {
    auto u = parse_redis_url("redis://farm:s%40cret@h:1/2");
    REQUIRE(u);
    CHECK(u->user == "farm");
    CHECK(u->password == "s@cret");
    CHECK(u->shown() == "redis://farm:***@h:1/2");
    u = parse_redis_url("redis://:pw@h");
    REQUIRE(u);
    CHECK(u->user.empty());
    CHECK(u->password == "pw");
    CHECK(u->shown().find("pw") == std::string::npos);
  }

  TEST_CASE("the environment's password fills only an empty one") {
    auto u = parse_redis_url("redis://h", "fromenv");
    REQUIRE(u);
    CHECK(u->password == "fromenv");
    u = parse_redis_url("redis://:given@h", "fromenv");
    REQUIRE(u);
    CHECK(u->password == "given");
    for (const char* acl : {"redis://farm@h", "redis://farm:@h"}) {  // an ACL user, its password kept out of ps
      u = parse_redis_url(acl, "fromenv");
      REQUIRE(u);
      CHECK(u->user == "farm");
      CHECK(u->password == "fromenv");
    }
  }

  TEST_CASE("bad URLs are refused with the reason") {
    const auto reason = [](const char* text) {
      auto u = parse_redis_url(text);
      REQUIRE_FALSE(u);
      return u.error().message;
    };
    CHECK(reason("http://h").find("must be redis://") != std::string::npos);
    CHECK(reason("rediss://h").find("TLS") != std::string::npos);
    CHECK(reason("redis://").find("no host") != std::string::npos);
    CHECK(reason("redis://h:0").find("port") != std::string::npos);
    CHECK(reason("redis://h:99999").find("port") != std::string::npos);
    CHECK(reason("redis://h:x").find("port") != std::string::npos);
    CHECK(reason("redis://h/x").find("database") != std::string::npos);
    CHECK(reason("redis://user@h").find("USER:PASSWORD") != std::string::npos);
    CHECK(reason("redis://user:@h").find("no password") != std::string::npos);
    CHECK(reason("redis://:p%zz@h").find("escape") != std::string::npos);
    CHECK(reason("redis://h st").find("host") != std::string::npos);
  }

  TEST_CASE("queue names") {
    CHECK(validate_queue_name("pyjudge"));
    CHECK(validate_queue_name("course-101.fall_2026"));
    CHECK_FALSE(validate_queue_name(""));
    CHECK_FALSE(validate_queue_name("a:b"));
    CHECK_FALSE(validate_queue_name("a b"));
    CHECK_FALSE(validate_queue_name(std::string(65, 'a')));
  }
}
