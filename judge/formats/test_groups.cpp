#include "judge/formats/test_groups.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <spdlog/fmt/fmt.h>

#include "judge/check/default_validator.h"
#include "judge/formats/package_data.h"
#include "judge/formats/yaml_file.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// A folder under data/ that holds tests, directly or below.
struct DataFolder {
  std::string path;                                          // "" for data/ itself
  std::vector<std::pair<std::string, Group::Item>> entries;  // (name, item); an item's index is a test's or a folder's
  std::map<std::string, std::size_t> children;
  std::optional<fs::path> settings;
  YAML::Node config{YAML::NodeType::Map};
};

bool legacy_key(const std::string& k) {
  static const std::set<std::string> kKeys = {"on_reject", "accept_score", "reject_score",
                                              "range",     "grader_flags", "grading"};
  return kKeys.contains(k);
}

bool key_2025(const std::string& k) {
  static const std::set<std::string> kKeys = {"max_score", "score_aggregation", "require_pass",
                                              "static_validation_score"};
  return kKeys.contains(k);
}

std::string folder_shown(const DataFolder& f) { return f.path.empty() ? "data" : "data/" + f.path; }

struct GroupTreeLoader {
  const fs::path& dir;
  const std::vector<TestCase>& tests;
  std::vector<DataFolder> folders;
  ScoringTree tree;

  Status build_folders() {
    folders.push_back({});
    for (std::size_t i = 0; i < tests.size(); ++i) {
      std::size_t at = 0;
      const std::string& name = tests[i].name;
      std::size_t start = 0;
      for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', start)) {
        const std::string part = name.substr(start, slash - start);
        auto it = folders[at].children.find(part);
        if (it == folders[at].children.end()) {
          const std::size_t made = folders.size();
          const std::string path = folders[at].path.empty() ? part : folders[at].path + "/" + part;
          folders[at].children.emplace(part, made);
          folders[at].entries.push_back({part, {true, made}});
          folders.push_back({path, {}, {}, {}, YAML::Node(YAML::NodeType::Map)});
          it = folders[at].children.find(part);
        }
        at = it->second;
        start = slash + 1;
      }
      folders[at].entries.push_back({name.substr(start), {false, i}});
    }
    for (auto& f : folders) {
      std::sort(f.entries.begin(), f.entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      f.settings = settings_file(dir / "data" / f.path);
      if (!f.settings) continue;
      auto y = read_yaml_map(*f.settings);
      if (!y) return y.error();
      f.config = *y;
    }
    return ok();
  }

  // Which key set the package uses: 2025-09's when any file has one of its
  // keys, problemtools' when any has one of those; both at once is refused.
  Expected<bool> spec2025(const YAML::Node& grading, const std::string& problem_yaml, bool default_2025) const {
    std::string legacy = grading && grading.IsMap() && grading.size() > 0 ? problem_yaml + ": grading" : "";
    std::string modern;
    for (const auto& f : folders) {
      if (!f.settings) continue;
      for (const auto& kv : f.config) {
        const auto k = kv.first.as<std::string>();
        if (legacy.empty() && legacy_key(k)) legacy = fmt::format("{}: {}", f.settings->string(), k);
        if (modern.empty() && key_2025(k)) modern = fmt::format("{}: {}", f.settings->string(), k);
        if (k == "require_pass" || k == "static_validation_score")
          return fail(fmt::format("{}: {} is not supported by pyjudge", f.settings->string(), k));
      }
    }
    if (!legacy.empty() && !modern.empty())
      return fail(modern + " (2025-09) and " + legacy +
                  " (problemtools' testdata.yaml) in one package; use one set of scoring keys");
    return !modern.empty() || (legacy.empty() && default_2025);
  }
};

// ---- problemtools' rules ---------------------------------------------------

Status apply_grader_flags(const YAML::Node& n, const std::string& where, bool root, GroupRules& r) {
  auto words = yaml_words(n, where);
  if (!words) return words.error();
  const GroupRules defaults;
  r.verdicts = defaults.verdicts;
  r.scores = defaults.scores;
  r.ignore_sample = false;
  r.accept_if_any_accepted = false;
  static const std::map<std::string, VerdictAggregation> kVerdicts = {
      {"worst_error", VerdictAggregation::WorstError},
      {"no_errors", VerdictAggregation::WorstError},
      {"first_error", VerdictAggregation::FirstError},
      {"always_accept", VerdictAggregation::AlwaysAccept}};
  static const std::map<std::string, ScoreAggregation> kScores = {{"sum", ScoreAggregation::Sum},
                                                                  {"avg", ScoreAggregation::Avg},
                                                                  {"min", ScoreAggregation::Min},
                                                                  {"max", ScoreAggregation::Max}};
  for (const auto& w : *words) {  // the last of conflicting modes wins, as in the default grader
    if (auto v = kVerdicts.find(w); v != kVerdicts.end()) {
      r.verdicts = v->second;
    } else if (auto s = kScores.find(w); s != kScores.end()) {
      r.scores = s->second;
    } else if (w == "ignore_sample") {
      if (!root) return fail(where + ": ignore_sample is allowed at the top level (data/testdata.yaml) only");
      r.ignore_sample = true;
    } else if (w == "accept_if_any_accepted") {
      r.accept_if_any_accepted = true;
    } else {
      return fail(fmt::format("{}: '{}' is not a flag of the default grader", where, w));
    }
  }
  return ok();
}

Status apply_range_key(const YAML::Node& n, const std::string& where, GroupRules& r) {
  auto text = yaml_text(n, where);
  if (!text) return text.error();
  const auto words = split_words(*text);
  const auto bound = [](const std::string& w) -> std::optional<double> {
    if (w == "inf" || w == "+inf") return std::numeric_limits<double>::infinity();
    if (w == "-inf") return -std::numeric_limits<double>::infinity();
    auto v = yaml_number(YAML::Node(w), "");
    return v ? std::optional<double>(*v) : std::nullopt;
  };
  const auto lo = words.size() == 2 ? bound(words[0]) : std::nullopt;
  const auto hi = words.size() == 2 ? bound(words[1]) : std::nullopt;
  if (!lo || !hi) return fail(where + " must be two numbers, 'LOW HIGH' (inf allowed), not '" + *text + "'");
  if (*lo > *hi) return fail(where + ": its low end is above its high end");
  r.low = *lo;
  r.high = *hi;
  return ok();
}

// The keys of one mapping (a settings file, or problem.yaml's grading) on
// top of the rules inherited.
Status apply_legacy_keys(const YAML::Node& y, const std::string& file, bool root, GroupRules& r) {
  const auto at = [&file](const char* k) { return file + ": " + k; };
  if (y["on_reject"]) {
    auto t = yaml_text(y["on_reject"], at("on_reject"));
    if (!t) return t.error();
    if (*t != "break" && *t != "continue")
      return fail(at("on_reject") + " must be break or continue, not '" + *t + "'");
    r.on_reject_break = *t == "break";
  }
  for (auto [key, field] :
       {std::pair{"accept_score", &GroupRules::accept_score}, {"reject_score", &GroupRules::reject_score}})
    if (y[key]) {
      auto v = yaml_number(y[key], at(key));
      if (!v) return v.error();
      r.*field = *v;
    }
  if (y["range"])
    if (auto s = apply_range_key(y["range"], at("range"), r); !s) return s;
  if (y["grading"]) {
    auto t = yaml_text(y["grading"], at("grading"));
    if (!t) return t.error();
    if (*t == "custom") return fail(at("grading") + ": custom graders are not supported by pyjudge");
    if (*t != "default") return fail(at("grading") + " must be default, not '" + *t + "'");
  }
  if (y["grader_flags"])
    if (auto s = apply_grader_flags(y["grader_flags"], at("grader_flags"), root, r); !s) return s;
  return ok();
}

// problem.yaml's legacy grading map: the root's defaults, and the
// objective (max only).
Status apply_problem_grading(const YAML::Node& g, const std::string& file, GroupRules& r) {
  if (!g) return ok();
  if (!g.IsMap()) return fail(file + ": grading must be a mapping");
  static const std::set<std::string> kKnown = {"objective",    "show_test_data_groups", "on_reject",
                                               "accept_score", "reject_score",          "range"};
  for (const auto& kv : g) {
    const auto k = kv.first.as<std::string>();
    if (!kKnown.contains(k)) return fail(fmt::format("{}: grading.{} is not supported by pyjudge", file, k));
  }
  if (g["objective"]) {
    auto t = yaml_text(g["objective"], file + ": grading.objective");
    if (!t) return t.error();
    if (*t != "max")
      return fail(file + ": grading.objective '" + *t + "' is not supported by pyjudge (max only: higher scores win)");
  }
  YAML::Node rest(YAML::NodeType::Map);
  for (const char* k : {"accept_score", "reject_score", "range"})
    if (g[k]) rest[k] = g[k];
  // Legacy's own words for it: first_error and worst_error stop at the
  // first rejection, grade goes on (problemtools reads them so).
  if (g["on_reject"]) {
    auto t = yaml_text(g["on_reject"], file + ": grading.on_reject");
    if (!t) return t.error();
    if (*t == "first_error" || *t == "worst_error" || *t == "break")
      rest["on_reject"] = "break";
    else if (*t == "grade" || *t == "continue")
      rest["on_reject"] = "continue";
    else
      return fail(file + ": grading.on_reject must be first_error, worst_error or grade, not '" + *t + "'");
  }
  return apply_legacy_keys(rest, file + ": grading", true, r);
}

struct LegacyTreeBuild {
  GroupTreeLoader& l;

  // Recursive over the folders, which nest at most 16 deep (package_data.cpp
  // refuses deeper ones).
  Expected<std::size_t> emit(std::size_t fi, GroupRules rules) {  // NOLINT(misc-no-recursion): depth bounded
    const DataFolder& f = l.folders[fi];
    const bool root = fi == 0;
    if (!root) rules.ignore_sample = false;  // the root's flag, not inherited
    if (f.settings)
      if (auto s = apply_legacy_keys(f.config, f.settings->string(), root, rules); !s) return s.error();
    const std::size_t gi = l.tree.groups.size();
    l.tree.groups.push_back({f.path, rules, {}});
    std::vector<Group::Item> items;
    for (const auto& [name, item] : f.entries) {
      if (!item.is_group) {
        items.push_back(item);
        continue;
      }
      auto child = emit(item.index, rules);
      if (!child) return child.error();
      items.push_back({true, *child});
    }
    l.tree.groups[gi].items = std::move(items);
    return gi;
  }
};

// ---- the 2025-09 rules -----------------------------------------------------

struct Spec2025 {
  std::optional<double> max;  // nullopt: unbounded
  std::string aggregation;    // pass-fail, sum, min
};

Expected<Spec2025> read_group_spec(const DataFolder& f, Spec2025 defaults) {
  Spec2025 g = std::move(defaults);
  if (!f.settings) return g;
  const std::string file = f.settings->string();
  if (const YAML::Node m = f.config["max_score"]) {
    if (m.IsScalar() && m.Scalar() == "unbounded") {
      g.max.reset();
    } else {
      auto v = yaml_number(m, file + ": max_score");
      if (!v) return v.error();
      if (*v < 0 || *v != std::floor(*v))
        return fail(file + ": max_score must be a whole number >= 0 or unbounded, not '" + m.Scalar() + "'");
      g.max = *v;
    }
  }
  if (const YAML::Node a = f.config["score_aggregation"]) {
    auto t = yaml_text(a, file + ": score_aggregation");
    if (!t) return t.error();
    if (*t != "pass-fail" && *t != "sum" && *t != "min")
      return fail(file + ": score_aggregation must be pass-fail, sum or min, not '" + *t + "'");
    g.aggregation = *t;
  }
  return g;
}

struct ModernTreeBuild {
  GroupTreeLoader& l;

  static GroupRules plain() {
    GroupRules r;
    r.on_reject_break = false;
    r.verdicts = VerdictAggregation::FirstError;
    return r;
  }

  // The tests in and below folder fi, in order.
  void tests_below(std::size_t fi, std::vector<Group::Item>& out) const {  // NOLINT(misc-no-recursion): as emit
    for (const auto& [name, item] : l.folders[fi].entries) {
      if (item.is_group)
        tests_below(item.index, out);
      else
        out.push_back(item);
    }
  }

  // A scored group of tests: its rules from its spec and its test count.
  static Expected<GroupRules> scored(const Spec2025& g, std::size_t n, const std::string& where) {
    GroupRules r = plain();
    r.low = 0;
    if (g.aggregation == "pass-fail") {
      if (!g.max) return fail(where + ": a pass-fail group needs a bounded max_score");
      r.scores = ScoreAggregation::Min;
      r.accept_score = *g.max;
      r.high = *g.max;
      r.score_file_forbidden = true;
      return r;
    }
    r.scores = g.aggregation == "sum" ? ScoreAggregation::Sum : ScoreAggregation::Min;
    if (!g.max) {
      r.accept_score = std::numeric_limits<double>::infinity();
      r.score_file_required = true;
      return r;
    }
    r.accept_score = g.aggregation == "sum" ? *g.max / static_cast<double>(std::max<std::size_t>(n, 1)) : *g.max;
    r.high = *g.max;
    r.score_capped = true;
    r.multiplier_allowed = true;
    return r;
  }

  std::size_t add(const std::string& name, GroupRules rules, std::vector<Group::Item> items) {
    l.tree.groups.push_back({name, rules, std::move(items)});
    return l.tree.groups.size() - 1;
  }

  Status build() {
    l.tree.spec2025 = true;
    GroupRules root = plain();
    root.scores = ScoreAggregation::Last;  // the submission's score is secret's
    add("", root, {});
    std::vector<Group::Item> top;
    const auto& children = l.folders[0].children;
    if (auto s = children.find("sample"); s != children.end()) {
      for (const char* k : {"max_score", "score_aggregation"})
        if (l.folders[s->second].config[k])
          return fail(l.folders[s->second].settings->string() + ": " + k + " is not permitted in sample");
      GroupRules sample = plain();
      sample.accept_score = 0;
      sample.high = 0;
      sample.score_file_forbidden = true;
      std::vector<Group::Item> items;
      tests_below(s->second, items);
      top.push_back({true, add("sample", sample, std::move(items))});
    }
    if (auto s = children.find("secret"); s != children.end()) {
      auto secret = secret_group(s->second);
      if (!secret) return secret.error();
      top.push_back({true, *secret});
    }
    l.tree.groups[0].items = std::move(top);
    return ok();
  }

  Expected<std::size_t> secret_group(std::size_t fi) {
    const DataFolder& f = l.folders[fi];
    auto spec = read_group_spec(f, {100.0, "sum"});
    if (!spec) return spec.error();
    std::vector<std::size_t> groups;
    bool direct_tests = false;
    for (const auto& [name, item] : f.entries) {
      if (item.is_group && l.folders[item.index].settings)
        groups.push_back(item.index);
      else
        direct_tests = direct_tests || !item.is_group;
    }
    if (groups.empty()) {  // secret's tests, in and below it, are one group
      std::vector<Group::Item> items;
      tests_below(fi, items);
      auto rules = scored(*spec, items.size(), folder_shown(f));
      if (!rules) return rules.error();
      return add("secret", *rules, std::move(items));
    }
    if (direct_tests || groups.size() != f.entries.size())
      return fail(folder_shown(f) +
                  ": with test data groups (folders with test_group.yaml), every test must be in one");
    GroupRules rules = plain();
    rules.low = 0;
    rules.high = spec->max.value_or(std::numeric_limits<double>::infinity());
    rules.scores = spec->aggregation == "sum" ? ScoreAggregation::Sum : ScoreAggregation::Min;
    const std::size_t gi = add("secret", rules, {});
    std::vector<Group::Item> items;
    for (const std::size_t child : groups) {
      const DataFolder& c = l.folders[child];
      auto cs = read_group_spec(c, {std::nullopt, "pass-fail"});
      if (!cs) return cs.error();
      if (spec->aggregation == "pass-fail") {
        if (cs->aggregation != "pass-fail")
          return fail(c.settings->string() + ": score_aggregation must be pass-fail when secret's is");
        cs->max = spec->max;  // all pass: secret's whole score
      } else if (spec->max && !cs->max) {
        return fail(c.settings->string() + ": needs a max_score (secret's is bounded)");
      }
      std::vector<Group::Item> tests;
      tests_below(child, tests);
      auto crules = scored(*cs, tests.size(), folder_shown(c));
      if (!crules) return crules.error();
      items.push_back({true, add(c.path, *crules, std::move(tests))});
    }
    l.tree.groups[gi].items = std::move(items);
    return gi;
  }
};

}  // namespace

Expected<ScoringTree> load_test_groups(const fs::path& dir, const std::vector<TestCase>& tests,
                                       const YAML::Node& grading, const std::string& problem_yaml, bool default_2025) {
  GroupTreeLoader l{dir, tests, {}, {}};
  if (auto s = l.build_folders(); !s) return s.error();
  auto modern = l.spec2025(grading, problem_yaml, default_2025);
  if (!modern) return modern.error();
  if (*modern) {
    ModernTreeBuild b{l};
    if (auto s = b.build(); !s) return s.error();
    return std::move(l.tree);
  }
  GroupRules root;
  if (auto s = apply_problem_grading(grading, problem_yaml, root); !s) return s.error();
  LegacyTreeBuild b{l};
  if (auto g = b.emit(0, root); !g) return g.error();
  return std::move(l.tree);
}

}  // namespace pyjudge::judge
