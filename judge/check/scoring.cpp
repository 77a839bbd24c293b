#include "judge/check/scoring.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include <spdlog/fmt/fmt.h>

namespace pyjudge::judge {

namespace {

constexpr double kScoreSlack = 1e-9;

// What a score file holds: one finite number, blanks around it allowed.
std::optional<double> score_file_value(const std::string& text) {
  if (text.size() > 256) return std::nullopt;  // the driver reads 257 bytes: longer is no score
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  const auto last = text.find_last_not_of(" \t\r\n");
  const char* b = text.data() + first;
  const char* e = text.data() + last + 1;
  double v = 0;
  const auto [end, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || end != e || !std::isfinite(v)) return std::nullopt;
  return v;
}

// An item's result as its group aggregates it.
struct ScoredItem {
  GradeVerdict verdict = GradeVerdict::AC;
  double score = 0;
  double max_score = 0;
};

// problemtools' worst_error order: the first of these a sub-result got.
int verdict_severity(GradeVerdict v) {
  switch (v) {
    case GradeVerdict::NotRun:
      return 0;
    case GradeVerdict::IE:
      return 1;
    case GradeVerdict::RE:
      return 2;
    case GradeVerdict::MLE:
      return 3;
    case GradeVerdict::TLE:
      return 4;
    case GradeVerdict::OLE:
      return 5;
    case GradeVerdict::WA:
      return 6;
    case GradeVerdict::AC:
      return 7;
  }
  return 7;
}

double aggregate_scores(ScoreAggregation how, const std::vector<double>& v) {
  if (v.empty()) return 0;
  switch (how) {
    case ScoreAggregation::Sum:
      return std::accumulate(v.begin(), v.end(), 0.0);
    case ScoreAggregation::Avg:
      return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    case ScoreAggregation::Min:
      return *std::min_element(v.begin(), v.end());
    case ScoreAggregation::Max:
      return *std::max_element(v.begin(), v.end());
    case ScoreAggregation::Last:
      return v.back();
  }
  return 0;
}

struct ScoringEvaluation {
  const ScoringTree& tree;
  const std::vector<TestOutcome>& outcomes;
  ScoredSubmission& out;

  // An accepted test's score from the validator's files by its group's
  // rules; a wrong file sets `err`.
  double accepted_score(const TestOutcome& o, const GroupRules& rules, std::string& err) const {
    if ((o.score_file || o.multiplier_file) && rules.score_file_forbidden) {
      err = "the output validator wrote a score file in a group whose score is pass-fail";
    } else if (o.score_file && o.multiplier_file) {
      err = "the output validator wrote both score.txt and score_multiplier.txt";
    } else if (o.score_file) {
      const auto v = score_file_value(*o.score_file);
      if (!v || (tree.spec2025 && *v < 0))
        err = "score.txt holds no valid score ('" + o.score_file->substr(0, 40) + "')";
      else if (rules.score_capped && *v > rules.accept_score + kScoreSlack)
        err = fmt::format("score.txt gives {:g}, more than the test's maximum {:g}", *v, rules.accept_score);
      return v.value_or(0);
    } else if (o.multiplier_file) {
      const auto v = score_file_value(*o.multiplier_file);
      if (!rules.multiplier_allowed)
        err = "the output validator wrote score_multiplier.txt for a test without a maximum score";
      else if (!v || *v < 0 || *v > 1)
        err = "score_multiplier.txt holds no number in [0, 1] ('" + o.multiplier_file->substr(0, 40) + "')";
      return v.value_or(0) * rules.accept_score;
    } else if (rules.score_file_required) {
      err = "the output validator accepted the output but wrote no score.txt (the group's score is unbounded)";
    }
    return rules.accept_score;
  }

  // A test's score by its group's rules; a wrong score file makes it IE.
  ScoredItem test(std::size_t ti, const GroupRules& rules, bool counted) {
    TestScore& ts = out.tests.at(ti);
    const TestOutcome& o = outcomes.at(ti);
    ts.counted = counted;
    ts.max_score = rules.accept_score;
    ScoredItem r{o.verdict, rules.reject_score, rules.accept_score};
    if (o.verdict == GradeVerdict::AC)
      r.score = accepted_score(o, rules, ts.error);
    else if (o.score_file || o.multiplier_file)
      ts.error = "the output validator rejected the output but wrote a score file";
    if (!ts.error.empty()) r.verdict = GradeVerdict::IE;
    if (r.verdict == GradeVerdict::IE || r.verdict == GradeVerdict::NotRun) r.score = 0;
    ts.score = r.score;
    return r;
  }

  // The group's verdict from its counted items' results.
  static GradeVerdict group_verdict(const GroupRules& rules, const std::vector<ScoredItem>& results) {
    const auto worst = std::min_element(results.begin(), results.end(), [](const auto& a, const auto& b) {
      return verdict_severity(a.verdict) < verdict_severity(b.verdict);
    });
    if (worst == results.end()) return GradeVerdict::AC;
    // Not graded (the judge's failure, or interrupted) whatever the rules;
    // and worst_error's own choice.
    if (verdict_severity(worst->verdict) <= verdict_severity(GradeVerdict::IE) ||
        (rules.verdicts == VerdictAggregation::WorstError && !rules.accept_if_any_accepted))
      return worst->verdict;
    const bool any_ac =
        std::any_of(results.begin(), results.end(), [](const auto& r) { return r.verdict == GradeVerdict::AC; });
    if (rules.accept_if_any_accepted && any_ac) return GradeVerdict::AC;
    if (rules.verdicts == VerdictAggregation::WorstError) return worst->verdict;
    if (rules.verdicts == VerdictAggregation::AlwaysAccept) return GradeVerdict::AC;
    const auto first =
        std::find_if(results.begin(), results.end(), [](const auto& r) { return r.verdict != GradeVerdict::AC; });
    return first == results.end() ? GradeVerdict::AC : first->verdict;
  }

  // A group's items, its score and its verdict. Recursive: a package's
  // folders nest at most 16 deep (package_data.cpp refuses deeper ones).
  ScoredItem group(std::size_t gi, bool counted) {  // NOLINT(misc-no-recursion): depth bounded, see above
    const Group& g = tree.groups.at(gi);
    const GroupRules& rules = g.rules;
    std::vector<ScoredItem> results;
    std::vector<double> scores;
    std::vector<double> maxima;
    results.reserve(g.items.size());
    scores.reserve(g.items.size());
    maxima.reserve(g.items.size());
    bool stopped = false;
    for (std::size_t k = 0; k < g.items.size(); ++k) {
      const auto& item = g.items[k];
      const bool ignored = rules.ignore_sample && k == 0 && g.items.size() > 1;
      const bool item_counted = counted && !stopped && !ignored;
      const ScoredItem r = item.is_group ? group(item.index, item_counted) : test(item.index, rules, item_counted);
      if (!ignored) maxima.push_back(r.max_score);
      if (!item_counted) continue;
      results.push_back(r);
      scores.push_back(r.score);
      if (r.verdict != GradeVerdict::AC && rules.on_reject_break) stopped = true;
    }
    ScoredItem res;
    res.score = aggregate_scores(rules.scores, scores);
    res.max_score = std::isfinite(rules.high) ? rules.high : aggregate_scores(rules.scores, maxima);
    res.verdict = group_verdict(rules, results);
    const bool judged = res.verdict != GradeVerdict::IE && res.verdict != GradeVerdict::NotRun;
    if (counted && judged && out.error.empty() &&
        (res.score < rules.low - kScoreSlack || res.score > rules.high + kScoreSlack))
      out.error = fmt::format("group {} scored {:g}, outside its range [{:g}, {:g}]", g.name.empty() ? "data" : g.name,
                              res.score, rules.low, rules.high);
    if (gi > 0) out.groups.at(gi - 1) = {g.name, res.verdict, counted ? res.score : 0, res.max_score};
    return res;
  }
};

}  // namespace

ScoredSubmission score_submission(const ScoringTree& tree, const std::vector<TestOutcome>& outcomes) {
  ScoredSubmission out;
  out.tests.resize(outcomes.size());
  if (tree.groups.empty()) return out;
  out.groups.resize(tree.groups.size() - 1);
  ScoringEvaluation e{tree, outcomes, out};
  const ScoredItem root = e.group(0, true);
  out.verdict = out.error.empty() ? root.verdict : GradeVerdict::IE;
  out.score = root.score;
  out.max_score = root.max_score;
  return out;
}

}  // namespace pyjudge::judge
