#include "problem.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "job.h"

namespace pyjudge::cli {

namespace fs = std::filesystem;

double Problem::max_score() const {
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

}  // namespace

Expected<Problem> load_problem(const fs::path& dir, const Limits& defaults) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(dir.string() + ": not a problem folder");
  Problem p;
  p.dir = dir;
  p.name = fs::absolute(dir).lexically_normal().filename().string();
  if (p.name.empty()) p.name = fs::absolute(dir).lexically_normal().parent_path().filename().string();
  p.limits = defaults;
  const fs::path json_path = dir / "problem.json";
  const std::string jp = json_path.string();
  std::ifstream in(json_path);
  if (!in) return fail(jp + ": missing or unreadable");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return fail(jp + ": bad JSON: " + e.what());
  }
  if (!j.is_object()) return fail(jp + ": must be a JSON object");

  static const std::set<std::string> kKnown = {
      "title", "time_limit", "memory",       "checker",      "tolerance", "checker_script", "points",        "tests",
      "cpus",  "pids",       "output_limit", "stderr_limit", "tmp_size",  "kill_grace",     "cpu_time_limit"};
  for (const auto& [k, v] : j.items())
    if (!kKnown.count(k)) return fail(jp + ": unknown field '" + k + "'");

  if (!j.contains("title") || !j["title"].is_string() || j["title"].get<std::string>().empty())
    return fail(jp + ": field 'title' must be a non-empty string");
  p.title = j["title"].get<std::string>();
  for (const char* required : {"time_limit", "memory"})
    if (!j.contains(required)) return fail(jp + ": field '" + required + "' is required");
  for (const auto& key : limit_keys()) {
    if (!j.contains(key)) continue;
    if (auto s = set_limit_json(p.limits, key, j[key]); !s)
      return fail(jp + ": field '" + key + "': " + s.error().message);
  }
  if (auto s = validate(p.limits); !s) return fail(jp + ": " + s.error().message);

  const std::string checker = j.value("checker", "lines");
  auto kind = checker_from_string(checker);
  if (!kind) return fail(jp + ": field 'checker' must be exact, lines, tokens, float or custom, not '" + checker + "'");
  p.checker.kind = *kind;
  if (j.contains("tolerance")) {
    if (*kind != CheckerKind::Float) return fail(jp + ": field 'tolerance' is only for the float checker");
    const auto& t = j["tolerance"];
    if (!t.is_object()) return fail(jp + ": field 'tolerance' must be an object {\"abs\": x, \"rel\": y}");
    for (const auto& [k, v] : t.items()) {
      if (k != "abs" && k != "rel") return fail(jp + ": field 'tolerance." + k + "' is unknown (abs or rel)");
      if (!v.is_number() || v.get<double>() < 0)
        return fail(jp + ": field 'tolerance." + k + "' must be a number >= 0");
      (k == "abs" ? p.checker.abs_tolerance : p.checker.rel_tolerance) = v.get<double>();
    }
  }
  if (*kind == CheckerKind::Custom) {
    if (!j.contains("checker_script") || !j["checker_script"].is_string())
      return fail(jp + ": field 'checker_script' is required by the custom checker");
    const fs::path script = dir / j["checker_script"].get<std::string>();
    if (!readable_file(script)) return fail(script.string() + ": missing or unreadable (field 'checker_script')");
    p.checker.custom_script = script.string();
  } else if (j.contains("checker_script")) {
    return fail(jp + ": field 'checker_script' is only for the custom checker");
  }

  if (!readable_file(dir / "statement.md")) return fail((dir / "statement.md").string() + ": missing or unreadable");

  // Tests: a named list in problem.json, or the NN.in / NN.out pairs in tests/.
  if (j.contains("tests")) {
    if (!j["tests"].is_array() || j["tests"].empty()) return fail(jp + ": field 'tests' must be a non-empty array");
    std::size_t i = 0;
    for (const auto& t : j["tests"]) {
      const std::string where = fmt::format("{}: field 'tests[{}]'", jp, i++);
      if (!t.is_object() || !t.contains("name") || !t.contains("input") || !t.contains("output") ||
          !t["name"].is_string() || !t["input"].is_string() || !t["output"].is_string())
        return fail(where + " needs string fields name, input and output");
      TestCase tc{t["name"].get<std::string>(), dir / t["input"].get<std::string>(),
                  dir / t["output"].get<std::string>(), 1};
      if (t.contains("points")) {
        auto pts = points_value(t["points"], where + ".points");
        if (!pts) return pts.error();
        tc.points = *pts;
      }
      p.tests.push_back(std::move(tc));
    }
  } else {
    const fs::path tests_dir = dir / "tests";
    if (!fs::is_directory(tests_dir, ec)) return fail(tests_dir.string() + ": missing (no 'tests' field either)");
    std::set<std::string> inputs, outputs;
    for (const auto& e : fs::directory_iterator(tests_dir, ec)) {
      const auto ext = e.path().extension().string();
      if (ext == ".in")
        inputs.insert(e.path().stem().string());
      else if (ext == ".out")
        outputs.insert(e.path().stem().string());
    }
    for (const auto& name : outputs)
      if (!inputs.count(name))
        return fail((tests_dir / (name + ".in")).string() + ": missing (input of test " + name + ")");
    for (const auto& name : inputs) {
      if (!outputs.count(name))
        return fail((tests_dir / (name + ".out")).string() + ": missing (expected output of test " + name + ")");
      p.tests.push_back({name, tests_dir / (name + ".in"), tests_dir / (name + ".out"), 1});
    }
    if (p.tests.empty()) return fail(tests_dir.string() + ": no NN.in / NN.out pairs");
  }

  std::set<std::string> names;
  for (const auto& t : p.tests) {
    if (!is_valid_id(t.name) || t.name.size() > 24)
      return fail(jp + ": test name '" + t.name + "' must be 1-24 of A-Z a-z 0-9 . _ -");
    if (!names.insert(t.name).second) return fail(jp + ": test '" + t.name + "' appears twice");
    if (!readable_file(t.input))
      return fail(t.input.string() + ": missing or unreadable (input of test " + t.name + ")");
    if (!readable_file(t.output))
      return fail(t.output.string() + ": missing or unreadable (expected output of test " + t.name + ")");
  }

  if (j.contains("points")) {
    const auto& pts = j["points"];
    if (pts.is_number()) {
      auto v = points_value(pts, jp + ": field 'points'");
      if (!v) return v.error();
      for (auto& t : p.tests) t.points = *v;
    } else if (pts.is_object()) {
      for (const auto& [name, v] : pts.items()) {
        auto it = std::find_if(p.tests.begin(), p.tests.end(), [&](const TestCase& t) { return t.name == name; });
        if (it == p.tests.end()) return fail(jp + ": field 'points." + name + "' names no test");
        auto value = points_value(v, jp + ": field 'points." + name + "'");
        if (!value) return value.error();
        it->points = *value;
      }
    } else {
      return fail(jp + ": field 'points' must be a number or an object {test: points}");
    }
  }
  return p;
}

}  // namespace pyjudge::cli
