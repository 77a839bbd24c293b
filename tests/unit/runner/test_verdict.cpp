#include <doctest/doctest.h>

#include <csignal>
#include <cstdint>
#include <string>

#include "runner/job/verdict.h"

using namespace pyjudge;
using namespace pyjudge::runner;

namespace {

constexpr double kLimitS = 2.0;
constexpr std::int64_t kLimitNs = 2'000'000'000;

SupervisorRecord record_rc(int rc, std::int64_t wall_ns = 100'000'000) {
  SupervisorRecord r;
  r.rc = rc;
  r.wall_ns = wall_ns;
  r.oom_kills = 0;
  return r;
}

SupervisorRecord record_signal(int sig, std::int64_t wall_ns = 100'000'000) {
  SupervisorRecord r;
  r.signal = sig;
  r.wall_ns = wall_ns;
  r.oom_kills = 0;
  return r;
}

Observation with_record(SupervisorRecord r) {
  Observation o;
  o.record = r;
  o.wall_limit_s = kLimitS;
  o.kill_grace_s = 1.0;
  return o;
}

Observation with_engine_exit(int code, bool oom) {
  Observation o;
  o.engine_exit = EngineExit{code, oom};
  o.wall_limit_s = kLimitS;
  return o;
}

}  // namespace

TEST_SUITE("runner/job/verdict") {
  TEST_CASE("to_string and verdict_from_string round-trip all six verdicts") {
    const Verdict all[] = {Verdict::OK, Verdict::TLE, Verdict::MLE, Verdict::OLE, Verdict::RE, Verdict::IE};
    const char* names[] = {"OK", "TLE", "MLE", "OLE", "RE", "IE"};
    for (int i = 0; i < 6; ++i) {
      CAPTURE(i);
      CHECK(to_string(all[i]) == names[i]);
      const auto back = verdict_from_string(names[i]);
      REQUIRE(back);
      CHECK(*back == all[i]);
    }
    CHECK_FALSE(verdict_from_string(""));
    CHECK_FALSE(verdict_from_string("ok"));
    CHECK_FALSE(verdict_from_string("WA"));
    CHECK_FALSE(verdict_from_string("OK "));
  }

  TEST_CASE("status_of: 0 for OK, 124 for TLE, -1 for the rest") {
    CHECK(status_of(Verdict::OK) == 0);
    CHECK(status_of(Verdict::TLE) == 124);
    CHECK(status_of(Verdict::MLE) == -1);
    CHECK(status_of(Verdict::OLE) == -1);
    CHECK(status_of(Verdict::RE) == -1);
    CHECK(status_of(Verdict::IE) == -1);
  }

  TEST_CASE("classify: supervisor records") {
    SUBCASE("rc 0 is OK with status 0") {
      const auto c = classify(with_record(record_rc(0)));
      CHECK(c.verdict == Verdict::OK);
      CHECK(status_of(c.verdict) == 0);
      REQUIRE(c.exit_code);
      CHECK(*c.exit_code == 0);
      CHECK_FALSE(c.signal);
    }
    SUBCASE("rc 3 is RE with exit code 3 and status -1") {
      const auto c = classify(with_record(record_rc(3)));
      CHECK(c.verdict == Verdict::RE);
      CHECK(status_of(c.verdict) == -1);
      REQUIRE(c.exit_code);
      CHECK(*c.exit_code == 3);
      CHECK_FALSE(c.signal);
      CHECK(c.message.find('3') != std::string::npos);
    }
    SUBCASE("rc 124 at or past the limit is TLE by SIGTERM, status 124") {
      for (std::int64_t wall : {kLimitNs, kLimitNs + 1'000'000}) {
        CAPTURE(wall);
        const auto c = classify(with_record(record_rc(124, wall)));
        CHECK(c.verdict == Verdict::TLE);
        CHECK(status_of(c.verdict) == 124);
        REQUIRE(c.signal);
        CHECK(*c.signal == SIGTERM);
        CHECK(*c.signal == 15);
        CHECK_FALSE(c.exit_code);
      }
    }
    SUBCASE("rc 124 below the limit is the script's own exit code: RE") {
      const auto c = classify(with_record(record_rc(124, kLimitNs - 1)));
      CHECK(c.verdict == Verdict::RE);
      REQUIRE(c.exit_code);
      CHECK(*c.exit_code == 124);
      CHECK_FALSE(c.signal);
    }
    SUBCASE("rc 137 at the limit (timeout had to SIGKILL) is TLE by SIGKILL") {
      const auto c = classify(with_record(record_rc(137, kLimitNs + 1)));
      CHECK(c.verdict == Verdict::TLE);
      REQUIRE(c.signal);
      CHECK(*c.signal == SIGKILL);
    }
    SUBCASE("SIGKILL at or past the limit is TLE: timeout kills its own group") {
      const auto c = classify(with_record(record_signal(SIGKILL, kLimitNs + 500'000'000)));
      CHECK(c.verdict == Verdict::TLE);
      CHECK(status_of(c.verdict) == 124);
      REQUIRE(c.signal);
      CHECK(*c.signal == SIGKILL);
    }
    SUBCASE("SIGKILL below the limit without OOM is RE by signal 9") {
      const auto c = classify(with_record(record_signal(SIGKILL, kLimitNs / 2)));
      CHECK(c.verdict == Verdict::RE);
      REQUIRE(c.signal);
      CHECK(*c.signal == 9);
      CHECK_FALSE(c.exit_code);
      CHECK(c.message.find("SIGKILL") != std::string::npos);
    }
    SUBCASE("another signal below the limit is RE with that signal") {
      const auto c = classify(with_record(record_signal(SIGSEGV)));
      CHECK(c.verdict == Verdict::RE);
      REQUIRE(c.signal);
      CHECK(*c.signal == SIGSEGV);
    }
    SUBCASE("SIGKILL with OOM kills below the limit is MLE") {
      auto r = record_signal(SIGKILL, kLimitNs / 2);
      r.oom_kills = 1;
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::MLE);
      CHECK(status_of(c.verdict) == -1);
      REQUIRE(c.signal);
      CHECK(*c.signal == SIGKILL);
    }
    SUBCASE("a nonzero exit with OOM kills is MLE (a child was OOM-killed)") {
      auto r = record_rc(1);
      r.oom_kills = 2;
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::MLE);
      REQUIRE(c.exit_code);
      CHECK(*c.exit_code == 1);
    }
    SUBCASE("a clean exit despite OOM kills is still OK") {
      auto r = record_rc(0);
      r.oom_kills = 1;
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::OK);
      REQUIRE(c.exit_code);
      CHECK(*c.exit_code == 0);
    }
    SUBCASE("missing oom_kills counts as none") {
      auto r = record_rc(1);
      r.oom_kills.reset();
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::RE);
    }
  }

  TEST_CASE("classify: host causes win over any record (first cause wins)") {
    const SupervisorRecord records[] = {record_rc(0), record_rc(3), record_rc(124, kLimitNs * 2),
                                        record_signal(SIGKILL), record_signal(SIGKILL, kLimitNs * 2)};
    for (const auto& r : records) {
      CAPTURE(r.rc.value_or(-1));
      CAPTURE(r.signal.value_or(-1));
      auto o = with_record(r);

      o.cause = HostCause::Deadline;
      const auto deadline = classify(o);
      CHECK(deadline.verdict == Verdict::TLE);
      CHECK(status_of(deadline.verdict) == 124);

      o.cause = HostCause::StdoutLimit;
      o.cause_message = "output limit exceeded on stdout";
      const auto out = classify(o);
      CHECK(out.verdict == Verdict::OLE);
      CHECK(out.message == "output limit exceeded on stdout");

      o.cause = HostCause::StderrLimit;
      o.cause_message = "output limit exceeded on stderr";
      CHECK(classify(o).verdict == Verdict::OLE);

      o.cause = HostCause::InternalError;
      o.cause_message = "engine went away";
      const auto ie = classify(o);
      CHECK(ie.verdict == Verdict::IE);
      CHECK(ie.message == "engine went away");
    }
  }

  TEST_CASE("classify: host causes win over an engine exit too") {
    auto o = with_engine_exit(137, true);
    o.cause = HostCause::StdoutLimit;
    CHECK(classify(o).verdict == Verdict::OLE);
    o.cause = HostCause::Deadline;
    CHECK(classify(o).verdict == Verdict::TLE);
  }

  TEST_CASE("classify: a record wins over the engine's exit") {
    auto o = with_record(record_rc(0));
    o.engine_exit = EngineExit{137, true};
    CHECK(classify(o).verdict == Verdict::OK);
  }

  TEST_CASE("classify: a run far past limit + grace is TLE whatever its exit (timeout was defeated)") {
    const auto past = static_cast<std::int64_t>((kLimitS + 1.0 + 0.6) * 1e9);
    CHECK(classify(with_record(record_rc(0, past))).verdict == Verdict::TLE);
    CHECK(classify(with_record(record_rc(3, past))).verdict == Verdict::TLE);
    // Past the limit but within the grace: timeout did not end it either.
    const auto within = static_cast<std::int64_t>((kLimitS + 1.0 + 0.2) * 1e9);
    CHECK(classify(with_record(record_rc(0, within))).verdict == Verdict::TLE);
  }

  TEST_CASE("classify: no record, engine exit only") {
    SUBCASE("the supervisor OOM-killed: a broken container never gives a verdict") {
      const auto c = classify(with_engine_exit(137, true));
      CHECK(c.verdict == Verdict::IE);
      CHECK(c.ie_reason == IeReason::ConnectionLost);
      CHECK(c.message.find("OOM") != std::string::npos);
    }
    SUBCASE("OOM-killed with exit 0 is IE too") { CHECK(classify(with_engine_exit(0, true)).verdict == Verdict::IE); }
    SUBCASE("137 without OOM: killed from outside (the script cannot signal PID 1), so IE") {
      const auto c = classify(with_engine_exit(137, false));
      CHECK(c.verdict == Verdict::IE);
      CHECK(c.ie_reason == IeReason::KilledExternally);
      CHECK(c.message.find("SIGKILL") != std::string::npos);
      CHECK_FALSE(c.exit_code);
    }
    SUBCASE("143 without OOM is IE too") {
      const auto c = classify(with_engine_exit(143, false));
      CHECK(c.verdict == Verdict::IE);
      CHECK(c.message.find("SIGTERM") != std::string::npos);
    }
    SUBCASE("99 (the supervisor's own failure) is IE") {
      const auto c = classify(with_engine_exit(99, false));
      CHECK(c.verdict == Verdict::IE);
      CHECK(c.message.find("supervisor") != std::string::npos);
    }
    SUBCASE("any other code without a record is IE, naming the code") {
      for (int code : {0, 1, 2, 125, 126, 127, 128, 200}) {
        CAPTURE(code);
        const auto c = classify(with_engine_exit(code, false));
        CHECK(c.verdict == Verdict::IE);
        CHECK(c.message.find(std::to_string(code)) != std::string::npos);
      }
    }
  }

  TEST_CASE("classify: nothing observed is IE") {
    Observation o;
    o.wall_limit_s = kLimitS;
    const auto c = classify(o);
    CHECK(c.verdict == Verdict::IE);
    CHECK_FALSE(c.message.empty());
    CHECK_FALSE(c.exit_code);
    CHECK_FALSE(c.signal);
  }

  TEST_CASE("classify: the supervisor's own causes") {
    SUBCASE("output caps are OLE") {
      auto r = record_rc(0);
      r.rc.reset();
      r.signal = 9;
      r.cause = "stdout";
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::OLE);
      CHECK(c.message.find("stdout") != std::string::npos);
      r.cause = "stderr";
      CHECK(classify(with_record(r)).verdict == Verdict::OLE);
    }
    SUBCASE("the CPU-time limit is TLE, whatever the exit") {
      auto r = record_rc(0);
      r.cause = "cpu";
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::TLE);
      CHECK(c.message.find("CPU") != std::string::npos);
    }
    SUBCASE("the supervisor's deadline is TLE") {
      auto r = record_rc(0);
      r.cause = "deadline";
      CHECK(classify(with_record(r)).verdict == Verdict::TLE);
    }
    SUBCASE("a host cause seen first still wins") {
      auto o = with_record([] {
        auto r = record_rc(0);
        r.cause = "cpu";
        return r;
      }());
      o.cause = HostCause::StdoutLimit;
      CHECK(classify(o).verdict == Verdict::OLE);
    }
  }

  TEST_CASE("classify: the first cause wins between memory and time") {
    SUBCASE("stalled at the memory cap (the supervisor's cause) is MLE") {
      auto r = record_signal(SIGKILL);
      r.cause = "memory";
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::MLE);
      CHECK(status_of(c.verdict) == -1);
    }
    SUBCASE("at the cap before timeout's SIGTERM: MLE, and the message says both") {
      auto r = record_rc(124, kLimitNs + 5'000'000);
      r.memory_cap_ns = 400'000'000;
      const auto c = classify(with_record(r));
      CHECK(c.verdict == Verdict::MLE);
      CHECK(c.message.find("memory limit exceeded") != std::string::npos);
      CHECK(c.message.find("0.40 s") != std::string::npos);
      CHECK(c.message.find("time limit") != std::string::npos);
    }
    SUBCASE("at the cap before the CPU-time limit: MLE") {
      auto r = record_signal(SIGKILL);
      r.cause = "cpu";
      r.memory_cap_ns = 100'000'000;
      CHECK(classify(with_record(r)).verdict == Verdict::MLE);
    }
    SUBCASE("at the cap only after the limit (in the kill grace): still TLE") {
      auto r = record_rc(124, kLimitNs + 5'000'000);
      r.memory_cap_ns = kLimitNs + 1'000'000;
      CHECK(classify(with_record(r)).verdict == Verdict::TLE);
    }
    SUBCASE("no sign of the cap: TLE, whatever the peak") {
      auto r = record_rc(124, kLimitNs + 5'000'000);
      r.memory_peak = 1LL << 40;
      CHECK(classify(with_record(r)).verdict == Verdict::TLE);
    }
    SUBCASE("a nonzero exit after reaching the cap (MemoryError) is MLE") {
      auto r = record_rc(1);
      r.memory_cap_ns = 50'000'000;
      CHECK(classify(with_record(r)).verdict == Verdict::MLE);
    }
    SUBCASE("a clean exit after touching the cap is OK") {
      auto r = record_rc(0);
      r.memory_cap_ns = 50'000'000;
      CHECK(classify(with_record(r)).verdict == Verdict::OK);
    }
  }

  TEST_CASE("classify: an exit after the wall limit is TLE, whatever its status") {
    // A script that keeps re-arming timeout's timer (SIGTERM to its parent)
    // and exits 0 past the limit.
    const auto c = classify(with_record(record_rc(0, kLimitNs + 300'000'000)));
    CHECK(c.verdict == Verdict::TLE);
    CHECK(status_of(c.verdict) == 124);
    CHECK(classify(with_record(record_rc(0, kLimitNs - 1))).verdict == Verdict::OK);
  }

  TEST_CASE("classify: a run that could not be launched is IE, never RE 126/127") {
    auto r = record_rc(127);
    r.error_kind = "launch";
    r.error = "cannot execute python3: No such file or directory";
    const auto c = classify(with_record(r));
    CHECK(c.verdict == Verdict::IE);
    CHECK(c.ie_reason == IeReason::LaunchFailed);
    CHECK(c.message.find("python3") != std::string::npos);
    CHECK_FALSE(c.exit_code);
    r.error_kind = "setup";
    CHECK(classify(with_record(r)).ie_reason == IeReason::SetupError);
  }

  TEST_CASE("which IE a fresh attempt can help") {
    CHECK_FALSE(is_retryable(IeReason::InputError));
    CHECK_FALSE(is_retryable(IeReason::LaunchFailed));
    CHECK(is_retryable(IeReason::EngineError));
    CHECK(is_retryable(IeReason::SetupError));
    CHECK(is_retryable(IeReason::KilledExternally));
    CHECK(is_retryable(IeReason::ConnectionLost));
    CHECK(is_retryable(IeReason::ProtocolError));
  }

  TEST_CASE("IeReason names, as result.json writes them") {
    CHECK(to_string(IeReason::EngineError) == "engine_error");
    CHECK(to_string(IeReason::SetupError) == "setup_error");
    CHECK(to_string(IeReason::InputError) == "input_error");
    CHECK(to_string(IeReason::LaunchFailed) == "launch_failed");
    CHECK(to_string(IeReason::KilledExternally) == "killed_externally");
    CHECK(to_string(IeReason::ConnectionLost) == "connection_lost");
    CHECK(to_string(IeReason::ProtocolError) == "protocol_error");
  }
}
