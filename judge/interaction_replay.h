// verify's use of an interactive package's sample transcripts
// (data/sample/NAME.interaction: ">" lines the submission writes, "<" lines
// it reads): each one replayed against the output validator on its sample
// test, as a submission that writes its ">" lines and checks that the
// validator sends its "<" lines. A transcript the validator does not follow,
// or does not accept, is a stale statement: the problem does not verify.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "judge/grade.h"

namespace pyjudge::judge {

struct Replay {
  enum class Outcome { Follows, Departs, NotReplayed, NotGraded };
  std::string sample;  // "sample/1"
  Outcome outcome = Outcome::NotGraded;
  std::string message;  // where it departs, why it was not replayed, or why not graded
};

// The replaying submission's Python source for `transcript`, or why the
// transcript cannot be replayed (a line that is neither ">" nor "<", or a
// multi-pass "---" separator), naming the line.
Expected<std::string> replay_script(std::string_view transcript);

// Each of the problem's sample transcripts replayed (none for a problem
// that is not interactive). Interrupted: `signal` is set and the rest are
// not replayed.
std::vector<Replay> replay_interactions(const Problem& problem, const GradeOptions& opt, Executor& executor,
                                        int& signal);

// verify.json's "interactions".
nlohmann::json replays_json(const std::vector<Replay>& replays);

}  // namespace pyjudge::judge
