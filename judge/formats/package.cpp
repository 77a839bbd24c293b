#include "judge/formats/package.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "judge/formats/package_data.h"
#include "judge/formats/test_groups.h"
#include "judge/formats/validator_program.h"
#include "judge/formats/yaml_file.h"
#include "runner/job/job_limits.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

bool is_package(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "problem.yaml", ec);
}

namespace {

// The steps of load_package, in order.
struct PackageLoader {
  const fs::path& dir;
  std::string py;  // problem.yaml as named in messages
  YAML::Node y;
  Problem p;
  bool scoring = false;
  bool version_2025 = false;  // 2023-07 or 2025-09, not a draft: 2025-09's scoring rules by default

  std::string key(const char* k) const { return py + ": " + k; }

  Status version() {
    std::string v = "legacy";
    if (y["problem_format_version"]) {
      auto t = yaml_text(y["problem_format_version"], key("problem_format_version"));
      if (!t) return t.error();
      v = *t;
    }
    static const std::set<std::string> kLegacy = {"legacy", "legacy-icpc"};
    static const std::set<std::string> k2023 = {"2023-07-draft", "2023-07", "2025-09", "draft"};
    version_2025 = v == "2023-07" || v == "2025-09";
    if (kLegacy.contains(v)) {
      p.format = ProblemFormat::KattisLegacy;
    } else if (k2023.contains(v)) {
      p.format = ProblemFormat::Kattis2023;
    } else {
      return fail(key("problem_format_version") + " '" + v + "' is not one pyjudge reads (legacy or 2023-07-draft)");
    }
    return ok();
  }

  // name: a string, or {language: name}; English first.
  Status title() {
    const YAML::Node n = y["name"];
    if (n && n.IsScalar()) p.title = n.Scalar();
    if (n && n.IsMap()) {
      p.title = n["en"] && n["en"].IsScalar() ? n["en"].Scalar() : "";
      for (auto it = n.begin(); p.title.empty() && it != n.end(); ++it)
        if (it->second.IsScalar()) p.title = it->second.Scalar();
    }
    if (n && !n.IsScalar() && !n.IsMap()) return fail(key("name") + " must be a string or a map of languages to names");
    if (p.title.empty()) p.title = p.name;
    return ok();
  }

  // Pass-fail and scoring problems with a plain submission: what pyjudge
  // judges.
  Status type() {
    std::vector<std::string> types;
    if (y["type"]) {
      auto t = yaml_words(y["type"], key("type"));
      if (!t) return t.error();
      types = *t;
    }
    if (y["validation"]) {
      auto v = yaml_words(y["validation"], key("validation"));
      if (!v) return v.error();
      types.insert(types.end(), v->begin(), v->end());
    }
    static const std::set<std::string> kSupported = {"pass-fail", "default", "custom",
                                                     "scoring",   "score",   "interactive"};
    for (const auto& t : types)
      if (!kSupported.contains(t))
        return fail(py + ": a '" + t + "' problem; pyjudge judges pass-fail, scoring and interactive problems (type)");
    scoring = std::find(types.begin(), types.end(), "scoring") != types.end();
    p.interactive = std::find(types.begin(), types.end(), "interactive") != types.end();
    // A pass-fail problem's grading map may only say what changes nothing
    // for it (problemtools allows these); the rest is for scoring problems.
    if (const YAML::Node g = y["grading"]; !scoring && g && g.IsMap())
      for (const auto& kv : g) {
        const auto k = kv.first.as<std::string>();
        if (k != "show_test_data_groups" && k != "on_reject")
          return fail(key("grading.") + k + " is for scoring problems (type: scoring) only");
      }
    return ok();
  }

  // limits.time_limit (2023-07), else .timelimit (DOMjudge's), else the
  // default, read into wall_limit_s and then made the CPU-time limit;
  // limits.memory and limits.output in MiB.
  Status limits() {
    const YAML::Node l = y["limits"];
    if (l && !l.IsMap()) return fail(key("limits") + " must be a mapping");
    if (l && l["time_limit"]) {
      auto t = yaml_positive(l["time_limit"], key("limits.time_limit"));
      if (!t) return t.error();
      p.limits.wall_limit_s = *t;
    } else if (auto s = timelimit_file(); !s) {
      return s;
    }
    // The package's key, in MiB, and the job key it sets (job_keys.h).
    for (const auto& [k, job_key] : {std::pair{"memory", "memory"}, {"output", "output_limit"}}) {
      if (!l || !l[k]) continue;
      auto mib = yaml_positive(l[k], key("limits.") + k);
      if (!mib) return mib.error();
      if (*mib > (1 << 20)) return fail(key("limits.") + k + " is more than 1 TiB");
      const auto bytes = static_cast<std::int64_t>(std::llround(*mib * 1024 * 1024));
      if (auto s = runner::set_limit(p.limits, job_key, std::to_string(bytes)); !s)
        return fail(key("limits.") + k + ": " + s.error().message);
    }
    // Judged on CPU time, the wall clock a backstop (problem.h).
    if (auto s = set_problem_time_limits(p.limits, p.limits.wall_limit_s); !s)
      return fail(key("limits") + ": " + s.error().message);
    return ok();
  }

  Status timelimit_file() {
    const fs::path f = dir / ".timelimit";
    std::error_code ec;
    if (!fs::exists(f, ec)) return ok();
    std::ifstream in(f);
    std::string text;
    if (!in || !(in >> text)) return fail(f.string() + ": unreadable or empty");
    auto t = yaml_positive(YAML::Node(text), f.string());
    if (!t) return t.error();
    p.limits.wall_limit_s = *t;
    return ok();
  }

  // validation: custom (legacy, and early 2023-07 drafts), or an
  // output_validator/ folder (2023-07): a Python output validator;
  // otherwise the default validator.
  Status checker() {
    bool custom = false;
    if (y["validation"]) {
      auto v = yaml_words(y["validation"], key("validation"));
      if (!v) return v.error();
      custom = !v->empty() && v->front() == "custom";
    }
    std::error_code ec;
    if (!y["validation"] && p.format == ProblemFormat::Kattis2023)
      custom = fs::is_directory(dir / "output_validator", ec) || fs::is_directory(dir / "output_validators", ec);
    if (p.interactive && !custom)
      return fail(py + ": an interactive problem needs its output validator (output_validator/ or output_validators/)");
    if (!custom) {
      p.checker.kind = CheckerKind::Package;
      return ok();
    }
    auto program = find_validator_program(dir);
    if (!program) return program.error();
    if (!*program)
      return fail(py +
                  ": the package asks for a custom output validator, but output_validator/ or "
                  "output_validators/ holds none");
    auto c = output_validator(**program);
    if (!c) return c.error();
    p.checker = std::move(*c);
    return ok();
  }

  Status input_validators() {
    auto programs = find_input_validators(dir);
    if (!programs) return programs.error();
    for (const auto& program : *programs) {
      auto v = validator_program(program, "an input validator");
      if (!v) return v.error();
      p.input_validators.push_back(std::move(*v));
    }
    return ok();
  }

  Status tests() {
    PackageDataRules rules;
    rules.kattis2023 = p.format == ProblemFormat::Kattis2023;
    if (y["validator_flags"]) {
      auto f = yaml_words(y["validator_flags"], key("validator_flags"));
      if (!f) return f.error();
      rules.base_args = *f;
    }
    auto t = package_tests(dir, rules);
    if (!t) return t.error();
    p.tests = std::move(*t);
    if (p.interactive) {
      auto shown = sample_interactions(dir);
      if (!shown) return shown.error();
      p.interactions = std::move(*shown);
    }
    if (scoring) {
      auto tree = load_test_groups(dir, p.tests, y["grading"], py, version_2025);
      if (!tree) return tree.error();
      p.scoring = std::move(*tree);
    }
    if (p.checker.kind != CheckerKind::Package) return ok();
    for (auto& test : p.tests) {
      auto f = parse_default_validator_flags(test.validator_args, p.format == ProblemFormat::Kattis2023);
      if (!f) return fail(py + ": test " + test.name + ": " + f.error().message);
      test.flags = *f;
    }
    return ok();
  }
};

}  // namespace

namespace {

Expected<Problem> load_package_steps(const fs::path& dir, const runner::Limits& defaults) {
  PackageLoader l{dir, (dir / "problem.yaml").string(), {}, {}};
  auto y = read_yaml_map(dir / "problem.yaml");
  if (!y) return y.error();
  l.y = *y;
  l.p.dir = dir;
  l.p.spec_file = dir / "problem.yaml";
  l.p.name = problem_name_of(dir);
  l.p.limits = defaults;
  if (auto s = l.type(); !s) return s.error();
  for (auto step : {&PackageLoader::version, &PackageLoader::title, &PackageLoader::limits, &PackageLoader::checker,
                    &PackageLoader::input_validators, &PackageLoader::tests})
    if (auto s = (l.*step)(); !s) return s.error();
  if (auto s = validate(l.p.limits); !s) return fail(l.py + ": " + s.error().message);
  return std::move(l.p);
}

}  // namespace

Expected<Problem> load_package(const fs::path& dir, const runner::Limits& defaults) {
  try {
    return load_package_steps(dir, defaults);
  } catch (const YAML::Exception& e) {  // a value of a kind the reading did not expect
    return fail((dir / "problem.yaml").string() + " (or a settings file under data/): " + e.what());
  }
}

}  // namespace pyjudge::judge
