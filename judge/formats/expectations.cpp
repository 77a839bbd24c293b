#include "judge/formats/expectations.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "judge/check/grade_verdict.h"
#include "judge/formats/function_problem.h"
#include "judge/formats/yaml_file.h"
#include "runner/job/job.h"
#include "runner/job/job_spec.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// What a sample may be expected to get: any grade but IE (the judge's own).
bool is_verdict(const std::string& v) {
  const auto g = grade_verdict_from_string(v);
  return g && *g != GradeVerdict::IE;
}

// The format's folders: the verdicts every test may get, and those some
// test must get.
const std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>>& package_folders() {
  static const std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> kFolders = {
      {"accepted", {{"AC"}, {"AC"}}},
      {"wrong_answer", {{"AC", "WA"}, {"WA"}}},
      {"time_limit_exceeded", {{"AC", "WA", "TLE"}, {"TLE"}}},
      {"run_time_error", {{"AC", "WA", "TLE", "RTE"}, {"RTE"}}},
      {"rejected", {{"AC", "WA", "TLE", "RTE"}, {"WA", "TLE", "RTE"}}},
      {"brute_force", {{"AC", "TLE", "RTE"}, {"TLE", "RTE"}}},
  };
  return kFolders;
}

std::vector<fs::path> python_files(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec))
    if (e.path().extension() == ".py" && e.is_regular_file(ec)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Shown by its path in the problem: "submissions/accepted/a.py".
Submission submission_of(const Problem& p, const fs::path& file, const std::string& name) {
  return {runner::id_from_stem(name), file, file.lexically_relative(p.dir).generic_string(), {}, {}};
}

// An expected.json entry: "AC", or {"verdict": "WA", "score": 3}.
Expected<Expectation> expectation_of(const nlohmann::json& v, const std::string& where) {
  Expectation e;
  const nlohmann::json* verdict = &v;
  if (v.is_object()) {
    for (const auto& [k, x] : v.items())
      if (k != "verdict" && k != "score") return fail(fmt::format("{}: unknown key '{}' (verdict, score)", where, k));
    if (!v.contains("verdict")) return fail(where + ": no 'verdict'");
    verdict = &v["verdict"];
    if (v.contains("score")) {
      if (!v["score"].is_number() || v["score"].get<double>() < 0) return fail(where + ".score must be a number >= 0");
      e.score = v["score"].get<double>();
    }
  }
  if (!verdict->is_string() || !is_verdict(verdict->get<std::string>()))
    return fail(where + R"( must be one of AC, WA, TLE, MLE, RE, OLE (or {"verdict": V, "score": N}))");
  e.want = e.verdict = verdict->get<std::string>();
  if (e.score) e.want += fmt::format(" {:g}", *e.score);
  return e;
}

// A function problem's samples: submissions/NAME/ folders holding the module.
std::vector<std::pair<std::string, fs::path>> function_sample_files(const Problem& p) {
  std::vector<std::pair<std::string, fs::path>> out;
  std::error_code ec;
  const std::string file = p.functions->module + ".py";
  for (const auto& e : fs::directory_iterator(p.dir / "submissions", ec))
    if (e.is_directory(ec) && fs::is_regular_file(e.path() / file, ec))
      out.emplace_back(e.path().filename().string(), e.path() / file);
  std::sort(out.begin(), out.end());
  return out;
}

Expected<std::vector<SampleSubmission>> native_samples(const Problem& p) {
  const fs::path file = p.dir / "expected.json";
  auto j = runner::read_json_object(file, file.string());
  if (!j) return j.error();
  std::vector<SampleSubmission> out;
  std::vector<std::pair<std::string, fs::path>> files;
  if (p.functions) {
    files = function_sample_files(p);
  } else {
    for (const auto& f : python_files(p.dir / "submissions")) files.emplace_back(f.stem().string(), f);
  }
  for (const auto& [stem, f] : files) {
    if (!j->contains(stem)) return fail(file.string() + ": no verdict for " + f.string());
    auto e = expectation_of((*j)[stem], file.string() + ": field '" + stem + "'");
    if (!e) return e.error();
    SampleSubmission s{submission_of(p, f, stem), *e};
    if (p.functions) {
      auto subs = collect_function_submissions({f.parent_path().string()}, p.functions->module);
      if (!subs) return subs.error();
      s.submission.files = subs->front().files;
    }
    out.push_back(std::move(s));
  }
  for (const auto& item : j->items()) {
    const std::string& stem = item.key();
    if (std::none_of(files.begin(), files.end(), [&](const auto& f) { return f.first == stem; }))
      return fail(fmt::format("{}: field '{}' names no submissions/{}{}", file.string(), stem, stem,
                              p.functions ? "/" + p.functions->module + ".py" : ".py"));
  }
  if (out.empty()) return fail((p.dir / "submissions").string() + ": no .py files");
  return out;
}

// submissions.yaml's `score`: N, or [LOW, HIGH].
Expected<std::pair<double, double>> submissions_yaml_score(const YAML::Node& n, const std::string& where) {
  if (n.IsSequence() && n.size() == 2) {
    auto lo = yaml_number(n[0], where + "[0]");
    if (!lo) return lo.error();
    auto hi = yaml_number(n[1], where + "[1]");
    if (!hi) return hi.error();
    if (*lo > *hi) return fail(where + ": its low end is above its high end");
    return std::pair{*lo, *hi};
  }
  auto v = yaml_number(n, where);
  if (!v) return fail(where + " must be a number or [LOW, HIGH]");
  return std::pair{*v, *v};
}

// One pattern's keys: the score it sets, if any.
Expected<std::optional<std::pair<double, double>>> pattern_score(const Problem& p, const YAML::Node& keys,
                                                                 const std::string& where) {
  static const std::set<std::string> kDescriptive = {"language", "entrypoint", "authors", "model_solution"};
  if (!keys.IsMap()) return fail(where + " must map to keys (score, ...)");
  std::optional<std::pair<double, double>> range;
  for (const auto& field : keys) {
    const auto k = field.first.as<std::string>();
    if (kDescriptive.contains(k)) continue;
    if (k != "score") return fail(fmt::format("{}: '{}' is not supported by pyjudge (score only)", where, k));
    if (!p.scoring) return fail(where + ": score is for scoring problems (type: scoring) only");
    auto r = submissions_yaml_score(field.second, where + ": score");
    if (!r) return r.error();
    range = *r;
  }
  return range;
}

// Whether `pattern` (fnmatch, `/` matched only by `/`) pattern_matches_submission the
// submission's path under submissions/ or a folder above it.
bool pattern_matches_submission(const std::string& pattern, const Problem& p, const Submission& s) {
  for (fs::path rel = s.path.lexically_relative(p.dir / "submissions"); !rel.empty(); rel = rel.parent_path())
    if (fnmatch(pattern.c_str(), rel.generic_string().c_str(), FNM_PATHNAME) == 0) return true;
  return false;
}

// submissions/submissions.yaml (2025-09): for each pattern that pattern_matches_submission a
// submission, its `score`. The keys that only describe a submission are
// allowed; any other is refused by name.
Status apply_submissions_yaml(const Problem& p, std::vector<SampleSubmission>& samples) {
  const fs::path file = p.dir / "submissions" / "submissions.yaml";
  std::error_code ec;
  if (!fs::exists(file, ec)) return ok();
  auto y = read_yaml_map(file);
  if (!y) return y.error();
  for (const auto& kv : *y) {
    const auto pattern = kv.first.as<std::string>();
    auto range = pattern_score(p, kv.second, file.string() + ": " + pattern);
    if (!range) return range.error();
    if (!*range) continue;
    for (auto& s : samples)
      if (pattern_matches_submission(pattern, p, s.submission)) s.expect.score_range = *range;
  }
  return ok();
}

Expected<std::vector<SampleSubmission>> package_samples(const Problem& p) {
  std::vector<SampleSubmission> out;
  for (const auto& [folder, rule] : package_folders())
    for (const auto& f : python_files(p.dir / "submissions" / folder)) {
      Expectation e{folder, "", rule.first, rule.second, std::nullopt, false, false, std::nullopt};
      e.full_score = p.scoring && folder == "accepted";
      out.push_back({submission_of(p, f, folder + "." + f.stem().string()), e});
    }
  const auto partial = python_files(p.dir / "submissions" / "partially_accepted");
  if (!partial.empty() && !p.scoring)
    return fail((p.dir / "submissions" / "partially_accepted").string() +
                ": partially_accepted is for scoring problems (type: scoring) only");
  for (const auto& f : partial) {
    Expectation e{"partially_accepted", "", {"AC", "WA", "TLE", "RTE"}, {}, std::nullopt, false, true, std::nullopt};
    out.push_back({submission_of(p, f, "partially_accepted." + f.stem().string()), e});
  }
  if (out.empty()) return fail((p.dir / "submissions").string() + ": no .py submissions in the format's folders");
  if (auto s = apply_submissions_yaml(p, out); !s) return s.error();
  return out;
}

// Two files may make one name ("a b.py" and "a_b.py"): the later ones get
// "-2", "-3"..., so that no two share a job id or a results folder.
void unique_names(std::vector<SampleSubmission>& samples) {
  std::set<std::string> used;
  for (auto& s : samples) {
    std::string name = s.submission.name;
    for (int n = 2; used.contains(name); ++n) name = s.submission.name + "-" + std::to_string(n);
    used.insert(name);
    s.submission.name = name;
  }
}

// A program in another language by its name's extension: the language, or
// "" for a file that is no program (a README).
std::string foreign_language(const fs::path& f) {
  static const std::map<std::string, std::string> kLanguages = {
      {".c", "C"},        {".cc", "C++"},        {".cpp", "C++"},   {".cxx", "C++"}, {".c++", "C++"},
      {".C", "C++"},      {".java", "Java"},     {".kt", "Kotlin"}, {".rs", "Rust"}, {".go", "Go"},
      {".hs", "Haskell"}, {".js", "JavaScript"}, {".rb", "Ruby"},   {".cs", "C#"},   {".pas", "Pascal"},
      {".ml", "OCaml"},   {".scala", "Scala"},   {".lua", "Lua"},   {".php", "PHP"}, {".swift", "Swift"},
      {".sh", "Bash"},    {".pl", "Perl"}};
  const auto it = kLanguages.find(f.extension().string());
  return it == kLanguages.end() ? std::string() : it->second;
}

}  // namespace

std::vector<SkippedSubmission> skipped_submissions(const Problem& problem) {
  std::vector<SkippedSubmission> out;
  if (problem.format == ProblemFormat::Pyjudge) return out;
  std::vector<std::string> folders;
  for (const auto& f : package_folders()) folders.push_back(f.first);
  folders.emplace_back("partially_accepted");
  for (const auto& folder : folders) {
    std::vector<fs::path> entries;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(problem.dir / "submissions" / folder, ec))
      if (e.path().filename().string().front() != '.') entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) {
      const std::string shown = e.lexically_relative(problem.dir).generic_string();
      if (fs::is_directory(e, ec))
        out.push_back({shown, "a folder (pyjudge grades a package's single-file Python submissions)"});
      else if (auto language = foreign_language(e); !language.empty())
        out.push_back({shown, language});
    }
  }
  return out;
}

std::string package_verdict(const std::string& verdict) {
  return verdict == "RE" || verdict == "MLE" || verdict == "OLE" ? "RTE" : verdict;
}

Expected<std::vector<SampleSubmission>> sample_submissions(const Problem& problem) {
  auto samples = problem.format == ProblemFormat::Pyjudge ? native_samples(problem) : package_samples(problem);
  if (samples) unique_names(*samples);
  return samples;
}

}  // namespace pyjudge::judge
