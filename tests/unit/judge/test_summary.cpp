#include <doctest/doctest.h>

#include <csignal>

#include <nlohmann/json.hpp>

#include "judge/summary.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;

namespace {

BatchEntry entry(const std::string& id, EntryState state, Verdict v = Verdict::OK) {
  BatchEntry e;
  e.job.id = id;
  e.state = state;
  e.result.id = id;
  e.result.verdict = v;
  return e;
}

}  // namespace

TEST_SUITE("judge/summary") {
  TEST_CASE("exit code is the worst status") {
    BatchOutcome o;
    o.entries = {entry("a", EntryState::Done), entry("b", EntryState::Resumed)};
    CHECK(batch_exit_code(o) == 0);
    o.entries.push_back(entry("c", EntryState::Done, Verdict::TLE));
    CHECK(batch_exit_code(o) == 124);
    o.entries.push_back(entry("d", EntryState::Done, Verdict::MLE));
    CHECK(batch_exit_code(o) == 255);
    o.signal = SIGINT;
    CHECK(batch_exit_code(o) == 130);
    o.signal = SIGTERM;
    CHECK(batch_exit_code(o) == 143);
  }

  TEST_CASE("a job that should have run and has no result fails the batch") {
    BatchOutcome o;
    o.entries = {entry("a", EntryState::Done), entry("b", EntryState::Pending, Verdict::IE)};
    CHECK(batch_exit_code(o) == 255);
    o.entries[1].state = EntryState::Skipped;  // --fail-fast: by design
    CHECK(batch_exit_code(o) == 0);
  }

  TEST_CASE("unfinished jobs do not count as results") {
    BatchOutcome o;
    o.entries = {entry("a", EntryState::Done), entry("b", EntryState::Interrupted, Verdict::IE),
                 entry("c", EntryState::Pending, Verdict::IE), entry("d", EntryState::Skipped, Verdict::IE)};
    o.signal = SIGINT;
    o.seconds = 2;
    const auto j = summary_json(o);
    CHECK(j["total"] == 4);
    CHECK(j["finished"] == 1);
    CHECK(j["unfinished"] == 3);
    CHECK(j["interrupted"] == true);
    CHECK(j["signal"] == SIGINT);
    CHECK(j["by_verdict"]["OK"] == 1);
    CHECK(j["by_verdict"]["IE"] == 0);
    CHECK(j["by_state"]["interrupted"] == 1);
    CHECK(j["by_state"]["not_run"] == 1);
    CHECK(j["by_state"]["skipped"] == 1);
    CHECK(j["jobs"][1]["verdict"].is_null());
    CHECK(j["jobs"][0]["verdict"] == "OK");
    CHECK(j["jobs_per_second"] == doctest::Approx(0.5));
    CHECK(human_summary(o).find("interrupted by signal 2, 3 not finished") != std::string::npos);
  }
}
