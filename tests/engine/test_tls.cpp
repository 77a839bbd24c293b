// A remote engine over TLS, by Docker's conventions (DOCKER_HOST=tcp://,
// DOCKER_TLS_VERIFY, DOCKER_CERT_PATH): a second dockerd on loopback with
// certificates made by openssl (tests/tls/second_engine.sh), jobs and a
// grading run through it, and every way the certificates can be wrong.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
namespace fs = std::filesystem;

namespace {

// A port nothing listens on now.
int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  ::close(s);
  return ntohs(a.sin_port);
}

// The second engine, started for the test and stopped (its folder removed)
// at the end, whatever happens.
class SecondEngine {
 public:
  SecondEngine()
      : dir_(fs::path("/var/tmp") / ("pyjudge-tls-engine-" + std::to_string(::getpid()))), port_(free_port()) {
    const std::string cmd =
        script() + " start " + dir_.string() + " " + std::to_string(port_) + " " + engine_env().image + " >&2";
    started_ = std::system(cmd.c_str()) == 0;
  }
  SecondEngine(const SecondEngine&) = delete;
  SecondEngine& operator=(const SecondEngine&) = delete;
  ~SecondEngine() {
    const std::string cmd = script() + " stop " + dir_.string();
    if (std::system(cmd.c_str()) != 0) MESSAGE("could not stop the second engine in ", dir_.string());
  }
  bool started() const { return started_; }
  std::map<std::string, std::string> env(const std::string& certs) const {
    return {{"DOCKER_HOST", "tcp://127.0.0.1:" + std::to_string(port_)},
            {"DOCKER_TLS_VERIFY", "1"},
            {"DOCKER_CERT_PATH", (dir_ / certs).string()}};
  }
  const fs::path& dir() const { return dir_; }

 private:
  static std::string script() { return std::string(PYJUDGE_TESTS) + "/tls/second_engine.sh"; }
  fs::path dir_;
  int port_;
  bool started_ = false;
};

}  // namespace

TEST_SUITE("engine/tls") {
  TEST_CASE("jobs and a grading run through a TLS engine; wrong certificates are refused clearly") {
    SecondEngine second;
    REQUIRE_MESSAGE(second.started(), "the second engine did not start; see ", second.dir().string(), "/dockerd.log");
    const auto script = write_file("tls_job.py", "import sys\nprint(sys.stdin.read().strip().upper())\n");
    const auto input = write_file("tls_job.in", "over tls\n");
    const auto out = engine_env().scratch / "tls";

    auto r = run_pyjudge({"run", script.string(), input.string(), "--out", out.string()}, second.env("client"));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(slurp(out / "tls_job" / "stdout") == "OVER TLS\n");
    CHECK(r.err.find("warning") == std::string::npos);

    // Warm containers: several runs over one hijacked TLS stream each.
    const fs::path problem = fs::path(PYJUDGE_PROBLEMS) / "pairsum";
    auto v = run_pyjudge({"verify", problem.string(), "--out", (out / "verify").string()}, second.env("client"));
    INFO(v.out);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("pairsum: verified") != std::string::npos);

    // The engine's certificate is not signed by the CA the client trusts.
    auto rogue = run_pyjudge({"run", script.string(), "--out", out.string()}, second.env("rogue-client"));
    CHECK(rogue.exit_code == 3);
    CHECK(rogue.err.find("TLS: the engine's certificate was refused") != std::string::npos);
    CHECK(rogue.err.find("check DOCKER_CERT_PATH") != std::string::npos);

    // The engine does not trust the client's certificate.
    auto stranger = run_pyjudge({"run", script.string(), "--out", out.string()}, second.env("stranger"));
    CHECK(stranger.exit_code == 3);
    INFO(stranger.err);
    CHECK(stranger.err.find("cannot be reached: TLS: the engine dropped the connection") != std::string::npos);

    // Certificates missing: bad input, before anything is tried.
    auto missing = run_pyjudge({"run", script.string(), "--out", out.string()}, second.env("no-such-folder"));
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("DOCKER_TLS_VERIFY is set, but " + (second.dir() / "no-such-folder" / "ca.pem").string() +
                           " is missing or unreadable") != std::string::npos);

    // Without DOCKER_TLS_VERIFY the client speaks plain HTTP to a TLS port.
    auto env = second.env("client");
    env["DOCKER_TLS_VERIFY"] = "";
    auto plain = run_pyjudge({"run", script.string(), "--out", out.string()}, env);
    CHECK(plain.exit_code == 3);
  }

  TEST_CASE("plain tcp:// to another machine warns loudly; loopback does not") {
    // 192.0.2.1 is TEST-NET-1: nothing answers, after the warning.
    auto remote = run_pyjudge({"doctor"}, {{"DOCKER_HOST", "tcp://192.0.2.1:2375"}});
    CHECK(remote.exit_code == 3);
    CHECK(remote.err.find("warning: DOCKER_HOST tcp://192.0.2.1:2375 is plain TCP to another machine") !=
          std::string::npos);
    auto local = run_pyjudge({"doctor"}, {{"DOCKER_HOST", "tcp://127.0.0.1:1"}});
    CHECK(local.exit_code == 3);
    CHECK(local.err.find("plain TCP") == std::string::npos);
  }
}
