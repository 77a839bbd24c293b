#include "judge/formats/problem.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "judge/formats/function_problem.h"
#include "judge/formats/package.h"
#include "runner/job/job.h"
#include "runner/job/job_spec.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

std::string_view to_string(ProblemFormat f) {
  switch (f) {
    case ProblemFormat::Pyjudge:
      return "pyjudge";
    case ProblemFormat::KattisLegacy:
      return "kattis-legacy";
    case ProblemFormat::Kattis2023:
      return "kattis-2023-07";
  }
  return "?";
}

std::string problem_name_of(const fs::path& dir) {
  const fs::path abs = fs::absolute(dir).lexically_normal();
  const std::string name = abs.filename().string();
  return name.empty() ? abs.parent_path().filename().string() : name;  // "p/" names p
}

Expected<Problem> load_any_problem(const fs::path& dir, const runner::Limits& defaults) {
  return is_package(dir) ? load_package(dir, defaults) : load_problem(dir, defaults);
}

Status set_problem_time_limits(runner::Limits& limits, double time_limit_s, std::optional<double> wall_limit_s) {
  if (!(time_limit_s > 0) || time_limit_s > runner::kMaxWallLimitS)
    return fail("the time limit must be in (0, 86400] seconds");
  const double wall = wall_limit_s.value_or(kWallPerTimeLimit * time_limit_s + kWallExtraS);
  if (!(wall > 0) || wall > runner::kMaxWallLimitS)
    return fail("the wall-clock time limit must be in (0, 86400] seconds");
  limits.cpu_time_limit_s = time_limit_s;
  limits.wall_limit_s = wall;
  return ok();
}

double Problem::max_score() const {
  if (scoring) {  // what an all-accepted submission gets by the groups' rules
    std::vector<TestOutcome> all(tests.size(), TestOutcome{GradeVerdict::AC, std::nullopt, std::nullopt});
    return score_submission(*scoring, all).max_score;
  }
  double s = 0;
  for (const auto& t : tests) s += t.points;
  return s;
}

namespace {

bool readable_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return false;
  return static_cast<bool>(std::ifstream(p));
}

Expected<double> points_value(const nlohmann::json& v, const std::string& where) {
  if (!v.is_number() || v.get<double>() < 0 || !std::isfinite(v.get<double>()))
    return fail(where + " must be a number >= 0");
  return v.get<double>();
}

// The steps of load_problem, in order; each error names the file and field.
struct Loader {
  const fs::path& dir;
  std::string jp;  // problem.json as named in messages
  nlohmann::json j;
  Problem p;

  Status known_fields() const {
    static const std::set<std::string> kOwn = {"title",  "checker", "tolerance", "checker_script", "wall_time_limit",
                                               "points", "tests",   "kind",      "module"};
    for (const auto& [k, v] : j.items())
      if (!kOwn.contains(k) && !runner::is_limit_key(k)) return fail(jp + ": unknown field '" + k + "'");
    if (j.contains("cpu_time_limit"))
      return fail(jp + ": field 'cpu_time_limit' is not for problems: 'time_limit' is already CPU time" +
                  " (and 'wall_time_limit' the wall-clock backstop)");
    return ok();
  }

  Status title_and_limits() {
    if (!j.contains("title") || !j["title"].is_string() || j["title"].get<std::string>().empty())
      return fail(jp + ": field 'title' must be a non-empty string");
    p.title = j["title"].get<std::string>();
    for (const char* required : {"time_limit", "memory"})
      if (!j.contains(required)) return fail(jp + ": field '" + required + "' is required");
    if (auto s = runner::apply_limit_fields(p.limits, j); !s) return fail(jp + ": " + s.error().message);
    std::optional<double> wall;
    if (j.contains("wall_time_limit")) {
      const auto& w = j["wall_time_limit"];
      if (!w.is_number() || w.get<double>() <= 0)
        return fail(jp + ": field 'wall_time_limit' must be a positive number of seconds");
      wall = w.get<double>();
    }
    // apply_limit_fields read time_limit as a job's: the wall limit.
    if (auto s = set_problem_time_limits(p.limits, p.limits.wall_limit_s, wall); !s)
      return fail(jp + ": " + s.error().message);
    return ok();
  }

  Status tolerance() {
    if (!j.contains("tolerance")) return ok();
    if (p.checker.kind != CheckerKind::Float) return fail(jp + ": field 'tolerance' is only for the float checker");
    const auto& t = j["tolerance"];
    if (!t.is_object()) return fail(jp + R"(: field 'tolerance' must be an object {"abs": x, "rel": y})");
    for (const auto& [k, v] : t.items()) {
      if (k != "abs" && k != "rel") return fail(jp + ": field 'tolerance." + k + "' is unknown (abs or rel)");
      if (!v.is_number() || v.get<double>() < 0)
        return fail(jp + ": field 'tolerance." + k + "' must be a number >= 0");
      (k == "abs" ? p.checker.abs_tolerance : p.checker.rel_tolerance) = v.get<double>();
    }
    return ok();
  }

  Status checker() {
    const nlohmann::json& field = j.contains("checker") ? j["checker"] : nlohmann::json("lines");
    const std::string name = field.is_string() ? field.get<std::string>() : field.dump();
    auto kind = checker_from_string(name);
    if (!kind) return fail(jp + ": field 'checker' must be exact, lines, tokens, float or custom, not '" + name + "'");
    p.checker.kind = *kind;
    if (auto s = tolerance(); !s) return s;
    if (*kind != CheckerKind::Custom) {
      if (j.contains("checker_script")) return fail(jp + ": field 'checker_script' is only for the custom checker");
      return ok();
    }
    if (!j.contains("checker_script") || !j["checker_script"].is_string())
      return fail(jp + ": field 'checker_script' is required by the custom checker");
    const fs::path script = dir / j["checker_script"].get<std::string>();
    if (!readable_file(script)) return fail(script.string() + ": missing or unreadable (field 'checker_script')");
    p.checker.custom_script = script.string();
    return ok();
  }

  // A named list in problem.json: {"name", "input", "output", "points"?}.
  Status listed_tests() {
    if (!j["tests"].is_array() || j["tests"].empty()) return fail(jp + ": field 'tests' must be a non-empty array");
    std::size_t i = 0;
    for (const auto& t : j["tests"]) {
      const std::string where = fmt::format("{}: field 'tests[{}]'", jp, i++);
      const auto is_text = [&t](const char* k) { return t.contains(k) && t[k].is_string(); };
      if (!t.is_object() || !is_text("name") || !is_text("input") || !is_text("output"))
        return fail(where + " needs string fields name, input and output");
      TestCase tc;
      tc.name = t["name"].get<std::string>();
      tc.input = dir / t["input"].get<std::string>();
      tc.output = dir / t["output"].get<std::string>();
      if (t.contains("points")) {
        auto pts = points_value(t["points"], where + ".points");
        if (!pts) return pts.error();
        tc.points = *pts;
      }
      p.tests.push_back(std::move(tc));
    }
    return ok();
  }

  // The NN.in / NN.out pairs in tests/, in name order.
  Status folder_tests() {
    const fs::path tests_dir = dir / "tests";
    std::error_code ec;
    if (!fs::is_directory(tests_dir, ec)) return fail(tests_dir.string() + ": missing (no 'tests' field either)");
    std::set<std::string> inputs;
    std::set<std::string> outputs;
    for (const auto& e : fs::directory_iterator(tests_dir, ec)) {
      const auto ext = e.path().extension().string();
      if (ext == ".in") inputs.insert(e.path().stem().string());
      if (ext == ".out") outputs.insert(e.path().stem().string());
    }
    for (const auto& name : outputs)
      if (!inputs.contains(name))
        return fail(fmt::format("{}: missing (input of test {})", (tests_dir / (name + ".in")).string(), name));
    for (const auto& name : inputs) {
      if (!outputs.contains(name))
        return fail(
            fmt::format("{}: missing (expected output of test {})", (tests_dir / (name + ".out")).string(), name));
      TestCase tc;
      tc.name = name;
      tc.input = tests_dir / (name + ".in");
      tc.output = tests_dir / (name + ".out");
      p.tests.push_back(std::move(tc));
    }
    if (p.tests.empty()) return fail(tests_dir.string() + ": no NN.in / NN.out pairs");
    return ok();
  }

  Status tests_readable() {
    std::set<std::string> names;
    for (auto& t : p.tests) {
      t.id = t.name;
      if (!runner::is_valid_id(t.name) || t.name.size() > 24)
        return fail(jp + ": test name '" + t.name + "' must be 1-24 of A-Z a-z 0-9 . _ -");
      if (!names.insert(t.name).second) return fail(jp + ": test '" + t.name + "' appears twice");
      if (!readable_file(t.input))
        return fail(t.input.string() + ": missing or unreadable (input of test " + t.name + ")");
      if (!readable_file(t.output))
        return fail(t.output.string() + ": missing or unreadable (expected output of test " + t.name + ")");
    }
    return ok();
  }

  // "points": one number for every test, or {test name: points}.
  Status points() {
    if (!j.contains("points")) return ok();
    const auto& pts = j["points"];
    if (pts.is_number()) {
      auto v = points_value(pts, jp + ": field 'points'");
      if (!v) return v.error();
      for (auto& t : p.tests) t.points = *v;
      return ok();
    }
    if (!pts.is_object()) return fail(jp + ": field 'points' must be a number or an object {test: points}");
    for (const auto& [test_name, v] : pts.items()) {
      const std::string& name = test_name;
      auto it = std::find_if(p.tests.begin(), p.tests.end(), [&name](const TestCase& t) { return t.name == name; });
      if (it == p.tests.end()) return fail(jp + ": field 'points." + name + "' names no test");
      auto value = points_value(v, jp + ": field 'points." + name + "'");
      if (!value) return value.error();
      it->points = *value;
    }
    return ok();
  }
};

}  // namespace

Expected<Problem> load_problem(const fs::path& dir, const runner::Limits& defaults) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(dir.string() + ": not a problem folder");
  Loader l{dir, (dir / "problem.json").string(), {}, {}};
  auto j = runner::read_json_object(dir / "problem.json", l.jp);
  if (!j) return j.error();
  l.j = std::move(*j);
  l.p.dir = dir;
  l.p.spec_file = dir / "problem.json";
  l.p.name = problem_name_of(dir);
  l.p.limits = defaults;
  if (auto s = l.known_fields(); !s) return s.error();
  if (auto s = l.title_and_limits(); !s) return s.error();
  if (l.j.contains("kind") && l.j["kind"] != "stdin") {
    if (l.j["kind"] != "functions") return fail(l.jp + ": field 'kind' must be stdin or functions");
    for (const char* stdin_only : {"checker", "tolerance", "checker_script", "points", "tests", "wall_time_limit"})
      if (l.j.contains(stdin_only))
        return fail(l.jp + ": field '" + stdin_only + "' is not for function problems (see docs/functions.md)");
    auto spec = load_function_spec(dir, l.j, l.jp);
    if (!spec) return spec.error();
    l.p.functions = std::move(*spec);
    return std::move(l.p);
  }
  if (l.j.contains("module")) return fail(l.jp + R"(: field 'module' is for function problems ("kind": "functions"))");
  if (auto s = l.checker(); !s) return s.error();
  if (!readable_file(dir / "statement.md")) return fail((dir / "statement.md").string() + ": missing or unreadable");
  if (auto s = l.j.contains("tests") ? l.listed_tests() : l.folder_tests(); !s) return s.error();
  if (auto s = l.tests_readable(); !s) return s.error();
  if (auto s = l.points(); !s) return s.error();
  return std::move(l.p);
}

}  // namespace pyjudge::judge
