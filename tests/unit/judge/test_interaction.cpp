// An interactive test's verdict from its two runs (judge/check/interaction.h),
// and the farm's refusal of interactive jobs.
#include <doctest/doctest.h>

#include "judge/check/interaction.h"
#include "judge/farm/farm_message.h"

using namespace pyjudge;
using namespace pyjudge::judge;

namespace {

runner::JobResult pair_side(runner::Verdict v, std::optional<std::int64_t> ended_ns, bool first) {
  runner::JobResult r;
  r.verdict = v;
  r.ended_ns = ended_ns;
  r.ended_first = first;
  return r;
}

CheckResult validator_said(bool accepted, std::optional<std::int64_t> ended_ns) {
  CheckResult c;
  c.accepted = accepted;
  c.message = accepted ? "" : "wrong guess";
  c.ended_ns = ended_ns;
  return c;
}

}  // namespace

TEST_SUITE("interaction") {
  TEST_CASE("a rejection by a validator that ended first is WA, whatever the submission did after") {
    const auto v = pair_side(runner::Verdict::OK, 0, false);
    // The clocks say the validator ended first, though the host saw the submission's end first.
    auto r = interaction_verdict(pair_side(runner::Verdict::RE, 200, true), v, validator_said(false, 100));
    CHECK(r.verdict == GradeVerdict::WA);
    CHECK(r.message == "wrong guess");
    // The submission ended first: its own verdict.
    r = interaction_verdict(pair_side(runner::Verdict::RE, 100, true), v, validator_said(false, 200));
    CHECK(r.verdict == GradeVerdict::RE);
    // Without the clocks (gVisor, an older image), the host's order decides.
    r = interaction_verdict(pair_side(runner::Verdict::RE, std::nullopt, false),
                            pair_side(runner::Verdict::OK, 0, true), validator_said(false, 200));
    CHECK(r.verdict == GradeVerdict::WA);
  }

  TEST_CASE("an accepting validator leaves the submission's own failure standing; else its answer decides") {
    const auto v = pair_side(runner::Verdict::OK, 0, true);
    CHECK(interaction_verdict(pair_side(runner::Verdict::TLE, 300, false), v, validator_said(true, 100)).verdict ==
          GradeVerdict::TLE);
    CHECK(interaction_verdict(pair_side(runner::Verdict::OK, 300, false), v, validator_said(true, 100)).verdict ==
          GradeVerdict::AC);
    CHECK(interaction_verdict(pair_side(runner::Verdict::OK, 100, true), v, validator_said(false, 300)).verdict ==
          GradeVerdict::WA);
  }

  TEST_CASE("the validator's failure is the judge's: IE") {
    const auto sub = pair_side(runner::Verdict::OK, 100, true);
    auto r = interaction_verdict(sub, pair_side(runner::Verdict::OK, 0, false),
                                 Expected<CheckResult>(fail("the output validator exited with 1")));
    CHECK(r.verdict == GradeVerdict::IE);
    CHECK(r.message == "the output validator exited with 1");
    r = interaction_verdict(sub, pair_side(runner::Verdict::TLE, 0, false), validator_said(true, 50));
    CHECK(r.verdict == GradeVerdict::IE);
    CHECK(r.message.rfind("the interactive validator's run failed: TLE", 0) == 0);
  }

  TEST_CASE("the farm refuses an interactive job") {
    runner::Job j;
    j.interactor = std::make_shared<const runner::Job>();
    CHECK(farm_accepts(j).error().message.find("interactive problems do not run on the farm") != std::string::npos);
  }
}
