#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "runner/sandbox/session.h"

using namespace pyjudge;
using namespace pyjudge::runner;

namespace {

constexpr long kImpossiblePid = 4194304 + 1;  // above the kernel's largest pid_max

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool all_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::map<std::string, std::string> owner_labels(long pid, const std::string& start, const std::string& host) {
  return {{kLabelOwned, "1"},   {kLabelSession, "0123456789ab"},
          {kLabelJob, "j1"},    {kLabelPid, std::to_string(pid)},
          {kLabelStart, start}, {kLabelHost, host}};
}

}  // namespace

TEST_SUITE("runner/sandbox/session") {
  TEST_CASE("process_start_ticks of this process is a number") {
    const std::string t = process_start_ticks(static_cast<long>(::getpid()));
    CHECK(all_digits(t));
    CHECK(process_start_ticks(static_cast<long>(::getpid())) == t);  // stable
  }

  TEST_CASE("process_start_ticks of a pid that cannot exist is empty") {
    CHECK(process_start_ticks(kImpossiblePid) == "");
    CHECK(process_start_ticks(-1) == "");
    CHECK(process_start_ticks(0) == "");
  }

  TEST_CASE("Session::current names this process and host") {
    const Session s = Session::current();
    CHECK(s.pid == static_cast<long>(::getpid()));
    CHECK(s.start == process_start_ticks(s.pid));
    CHECK(all_digits(s.start));
    char host[256] = {};
    REQUIRE(::gethostname(host, sizeof host - 1) == 0);
    CHECK(s.host == host);
    CHECK(s.id.size() == 12);
    CHECK(all_lower_hex(s.id));
    CHECK(Session::current().id != s.id);
  }

  TEST_CASE("Session::labels carries the owner fields") {
    const Session s = Session::current();
    const auto l = s.labels("job-7");
    CHECK(l.at(kLabelOwned) == "1");
    CHECK(l.at(kLabelSession) == s.id);
    CHECK(l.at(kLabelJob) == "job-7");
    CHECK(l.at(kLabelPid) == std::to_string(s.pid));
    CHECK(l.at(kLabelStart) == s.start);
    CHECK(l.at(kLabelHost) == s.host);
  }

  TEST_CASE("owner_is_gone") {
    const long me = static_cast<long>(::getpid());
    const std::string start = process_start_ticks(me);
    REQUIRE(all_digits(start));
    const std::string host = "this-host";

    SUBCASE("labels naming this live process: not gone") {
      CHECK_FALSE(owner_is_gone(owner_labels(me, start, host), host));
    }
    SUBCASE("this session's own labels: not gone") {
      const Session s = Session::current();
      CHECK_FALSE(owner_is_gone(s.labels("j"), s.host));
    }
    SUBCASE("same pid with a different start time (pid reused): gone") {
      CHECK(owner_is_gone(owner_labels(me, start + "0", host), host));
      CHECK(owner_is_gone(owner_labels(me, "1", host), host));
      CHECK(owner_is_gone(owner_labels(me, "", host), host));
    }
    SUBCASE("a dead pid: gone") { CHECK(owner_is_gone(owner_labels(kImpossiblePid, start, host), host)); }
    SUBCASE("an unreadable pid: gone") {
      auto l = owner_labels(me, start, host);
      l[kLabelPid] = "not-a-pid";
      CHECK(owner_is_gone(l, host));
      l.erase(kLabelPid);
      CHECK(owner_is_gone(l, host));
    }
    SUBCASE("another host's container is never judged gone") {
      CHECK_FALSE(owner_is_gone(owner_labels(kImpossiblePid, start, "other-host"), host));
      CHECK_FALSE(owner_is_gone(owner_labels(me, "1", "other-host"), host));
      auto no_host = owner_labels(kImpossiblePid, start, host);
      no_host.erase(kLabelHost);
      CHECK_FALSE(owner_is_gone(no_host, host));
    }
  }
}
