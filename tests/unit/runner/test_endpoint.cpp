#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "runner/engine/endpoint.h"

using namespace pyjudge;
using namespace pyjudge::runner;

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

TEST_SUITE("runner/engine/endpoint") {
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
    for (const std::string bad :
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

  TEST_CASE("Docker's TLS variables: https, the three files from DOCKER_CERT_PATH or ~/.docker") {
    const auto dir = std::filesystem::temp_directory_path() / ("pyjudge-endpoint-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / ".docker");
    for (const char* f : {"ca.pem", "cert.pem", "key.pem"}) {
      std::ofstream(dir / f) << "x";
      std::ofstream(dir / ".docker" / f) << "x";
    }
    const auto e = endpoint_from("tcp://engine.example:2376", "1", dir.string(), "/nonexistent");
    REQUIRE(e);
    CHECK(e->base_url == "https://engine.example:2376");
    CHECK(e->shown == "tcp://engine.example:2376 (TLS)");
    REQUIRE(e->tls);
    CHECK(e->tls->ca == (dir / "ca.pem").string());
    CHECK(e->tls->cert == (dir / "cert.pem").string());
    CHECK(e->tls->key == (dir / "key.pem").string());
    CHECK_FALSE(e->plaintext_remote());
    // DOCKER_CERT_PATH unset: ~/.docker.
    const auto home = endpoint_from("tcp://engine.example:2376", "1", "", dir.string());
    REQUIRE(home);
    CHECK(home->tls->ca == (dir / ".docker" / "ca.pem").string());
    // DOCKER_TLS_VERIFY empty: plain TCP; a unix socket ignores the TLS variables.
    CHECK_FALSE(endpoint_from("tcp://engine.example:2376", "", dir.string(), "")->tls);
    CHECK_FALSE(endpoint_from("unix:///var/run/docker.sock", "1", "/nonexistent", "")->tls);
    // A missing file is named.
    std::filesystem::remove(dir / "key.pem");
    const auto missing = endpoint_from("tcp://engine.example:2376", "1", dir.string(), "");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("DOCKER_TLS_VERIFY is set, but " + (dir / "key.pem").string() +
                                       " is missing or unreadable") == 0);
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("plain TCP to another machine is flagged; loopback and sockets are not") {
    CHECK(parse_endpoint("tcp://10.0.0.1:2375")->plaintext_remote());
    CHECK(parse_endpoint("tcp://engine.example:2375")->plaintext_remote());
    CHECK_FALSE(parse_endpoint("tcp://127.0.0.1:2375")->plaintext_remote());
    CHECK_FALSE(parse_endpoint("tcp://127.1.2.3:2375")->plaintext_remote());
    CHECK_FALSE(parse_endpoint("tcp://localhost:2375")->plaintext_remote());
    CHECK_FALSE(parse_endpoint("tcp://[::1]:2375")->plaintext_remote());
    CHECK(parse_endpoint("tcp://[2001:db8::1]:2375")->plaintext_remote());
    CHECK_FALSE(parse_endpoint("unix:///var/run/docker.sock")->plaintext_remote());
  }
}
