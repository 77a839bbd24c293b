// Scoring problems (ICPC/Kattis `type: scoring`): the test groups' rules as
// a tree, and a submission's verdict and score worked out from its tests'
// results by those rules. Pure: no files, no runs.
//
// Two rule sets, as packages write them (README.md, "Problem packages"):
// - problemtools' (legacy, and 2023-07 drafts): each folder's testdata.yaml
//   sets on_reject, accept_score, reject_score, range and grader_flags (the
//   default grader's verdict and score aggregation, ignore_sample,
//   accept_if_any_accepted), inherited by the folders below;
// - the 2025-09 format's: max_score and score_aggregation (pass-fail, sum,
//   min) on `secret` and its groups, sample counting for nothing.
// Both are read into one tree of Group nodes; the loader
// (judge/formats/test_groups.h) turns the second into the first's terms.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "judge/check/grade_verdict.h"

namespace pyjudge::judge {

enum class VerdictAggregation { WorstError, FirstError, AlwaysAccept };
// Last: the score of the last item (the root of a 2025-09 package: `secret`).
enum class ScoreAggregation { Sum, Avg, Min, Max, Last };

struct GroupRules {
  bool on_reject_break = true;  // on_reject: break (the default) or continue
  VerdictAggregation verdicts = VerdictAggregation::WorstError;
  ScoreAggregation scores = ScoreAggregation::Sum;
  bool ignore_sample = false;  // the root only: sample's result is left out
  bool accept_if_any_accepted = false;
  // A test's score when the validator gives none: accept_score when it is
  // accepted, reject_score otherwise.
  double accept_score = 1;
  double reject_score = 0;
  // The group's score must lie in [low, high]; outside is the package's
  // fault (IE), as problemtools reports it.
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  // 2025-09: score_multiplier.txt scales accept_score; and an unbounded
  // group's tests must come with score.txt.
  bool multiplier_allowed = false;
  bool score_file_required = false;
  // A score.txt above accept_score is an error (2025-09's bounded tests).
  bool score_capped = false;
  // pass-fail aggregation: no score.txt or multiplier may come.
  bool score_file_forbidden = false;
};

// A node: a folder under data/ ("" the root, "sample", "secret/group1").
struct Group {
  std::string name;
  GroupRules rules;
  // Its items in the format's order: tests (indices into the problem's
  // tests) and child groups (indices into ScoringTree::groups).
  struct Item {
    bool is_group = false;
    std::size_t index = 0;
  };
  std::vector<Item> items;
};

struct ScoringTree {
  std::vector<Group> groups;  // groups[0] is the root (data/)
  // 2025-09 rules (shown in reports as the format that set them).
  bool spec2025 = false;
};

// One test's result as the scoring sees it: its verdict, and what the
// output validator wrote into score.txt / score_multiplier.txt.
struct TestOutcome {
  GradeVerdict verdict = GradeVerdict::NotRun;
  std::optional<std::string> score_file;
  std::optional<std::string> multiplier_file;
};

struct GroupResult {
  std::string name;
  GradeVerdict verdict = GradeVerdict::AC;
  double score = 0;
  double max_score = 0;  // what an all-accepted submission gets (infinity: unbounded)
};

struct TestScore {
  double score = 0;
  double max_score = 0;
  // false: after a rejection in an on_reject: break group (or in a sample
  // the root ignores), so it counts for nothing.
  bool counted = true;
  std::string error;  // the validator's score file was wrong: the test is IE
};

struct ScoredSubmission {
  GradeVerdict verdict = GradeVerdict::AC;
  double score = 0;
  double max_score = 0;
  std::vector<GroupResult> groups;  // every group but the root, in the tree's order
  std::vector<TestScore> tests;     // by the problem's test index
  // The package's own fault found in scoring (a score outside a range):
  // the submission is not graded.
  std::string error;
};

// The verdict and score of a submission whose tests got `outcomes` (by test
// index). A NotRun or IE test that counts makes the result IE.
ScoredSubmission score_submission(const ScoringTree& tree, const std::vector<TestOutcome>& outcomes);

}  // namespace pyjudge::judge
