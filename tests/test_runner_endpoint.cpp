#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "endpoint.h"

using namespace pyjudge;

namespace {

// Sets DOCKER_HOST for one scope and restores the previous value after.
class DockerHostEnv {
 public:
  explicit DockerHostEnv(const char* value) {
    if (const char* old = std::getenv("DOCKER_HOST")) old_ = old;
    if (value)
      ::setenv("DOCKER_HOST", value, 1);
    else
      ::unsetenv("DOCKER_HOST");
  }
  DockerHostEnv(const DockerHostEnv&) = delete;
  DockerHostEnv& operator=(const DockerHostEnv&) = delete;
  ~DockerHostEnv() {
    if (old_)
      ::setenv("DOCKER_HOST", old_->c_str(), 1);
    else
      ::unsetenv("DOCKER_HOST");
  }

 private:
  std::optional<std::string> old_;
};

}  // namespace

TEST_SUITE("runner/endpoint") {
  TEST_CASE("an empty DOCKER_HOST is the default local socket") {
    const auto e = parse_endpoint("");
    REQUIRE(e);
    CHECK(e->unix_socket == kDefaultSocket);
    CHECK(e->unix_socket == "/var/run/docker.sock");
    CHECK(e->base_url == "http://localhost");
    CHECK(e->shown == kDefaultSocket);
  }

  TEST_CASE("unix:// with an absolute path") {
    const auto e = parse_endpoint("unix:///x/y.sock");
    REQUIRE(e);
    CHECK(e->unix_socket == "/x/y.sock");
    CHECK(e->base_url == "http://localhost");
    CHECK(e->shown == "/x/y.sock");
  }

  TEST_CASE("tcp://host:port") {
    const auto e = parse_endpoint("tcp://1.2.3.4:2375");
    REQUIRE(e);
    CHECK(e->unix_socket.empty());
    CHECK(e->base_url == "http://1.2.3.4:2375");
    CHECK(e->shown == "tcp://1.2.3.4:2375");

    SUBCASE("a trailing slash is ignored") {
      const auto t = parse_endpoint("tcp://docker.example:2375/");
      REQUIRE(t);
      CHECK(t->base_url == "http://docker.example:2375");
      CHECK(t->unix_socket.empty());
    }
  }

  TEST_CASE("unsupported or malformed DOCKER_HOST values are rejected") {
    for (const char* bad :
         {"unix://relative", "unix://", "unix://x/y.sock", "ssh://host", "tcp://", "tcp:///", "tcp://host:2375/path",
          "http://1.2.3.4:2375", "/var/run/docker.sock", "npipe:////./pipe/x"}) {
      CAPTURE(bad);
      const auto e = parse_endpoint(bad);
      REQUIRE_FALSE(e);
      CHECK(e.error().message.find(bad) != std::string::npos);
    }
  }

  TEST_CASE("endpoint_from_env reads DOCKER_HOST") {
    SUBCASE("unset: the default socket") {
      DockerHostEnv env(nullptr);
      const auto e = endpoint_from_env();
      REQUIRE(e);
      CHECK(e->unix_socket == kDefaultSocket);
    }
    SUBCASE("empty: the default socket") {
      DockerHostEnv env("");
      const auto e = endpoint_from_env();
      REQUIRE(e);
      CHECK(e->unix_socket == kDefaultSocket);
    }
    SUBCASE("set: parsed") {
      DockerHostEnv env("tcp://10.0.0.1:2376");
      const auto e = endpoint_from_env();
      REQUIRE(e);
      CHECK(e->base_url == "http://10.0.0.1:2376");
    }
    SUBCASE("set to something bad: an error") {
      DockerHostEnv env("ssh://user@host");
      CHECK_FALSE(endpoint_from_env());
    }
  }
}
