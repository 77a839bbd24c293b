#include "judge/formats/function_problem.h"

#include <algorithm>
#include <fstream>
#include <set>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "runner/job/job.h"
#include "runner/shared/protocol.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxFiles = 1000;

// Every regular file under `root`, by its path below it, sorted; hidden
// files and __pycache__ left out.
Expected<std::vector<std::pair<std::string, fs::path>>> files_under(const fs::path& root, const std::string& prefix) {
  std::vector<std::pair<std::string, fs::path>> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(".") || name == "__pycache__") {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string rel = prefix + fs::relative(it->path(), root, ec).generic_string();
    if (!protocol::is_function_bundle_path(rel))
      return fail(it->path().string() + ": a name the container cannot hold (plain names, at most 8 folders deep)");
    if (!std::ifstream(it->path())) return fail(it->path().string() + ": unreadable");
    out.emplace_back(rel, it->path());
    if (out.size() > kMaxFiles) return fail(root.string() + ": more than 1000 files");
  }
  if (ec) return fail(root.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

bool is_test_file(const std::string& name) {
  return name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"));
}

}  // namespace

Expected<FunctionSpec> load_function_spec(const fs::path& dir, const nlohmann::json& j, const std::string& jp) {
  // Python's keywords are identifiers no test could import.
  static const std::set<std::string> kKeywords = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  FunctionSpec spec;
  if (!j.contains("module") || !j["module"].is_string() || !protocol::is_module_name(j["module"].get<std::string>()) ||
      kKeywords.contains(j["module"].get<std::string>()))
    return fail(jp + R"(: field 'module' must be the student's module name, a Python identifier ("stats"))");
  spec.module = j["module"].get<std::string>();
  const fs::path tests = dir / "tests";
  std::error_code ec;
  if (!fs::is_directory(tests, ec)) return fail(tests.string() + ": missing (the staff's test_*.py files)");
  auto staff = files_under(tests, "staff/");
  if (!staff) return staff.error();
  const bool any_test = std::any_of(staff->begin(), staff->end(), [](const auto& f) {
    return f.first.find('/', 6) == std::string::npos && is_test_file(f.first.substr(6));
  });
  if (!any_test) return fail(tests.string() + ": no test_*.py or *_test.py file");
  spec.staff_files = std::move(*staff);
  if (const fs::path data = dir / "files"; fs::is_directory(data, ec)) {
    auto files = files_under(data, "work/");
    if (!files) return files.error();
    for (const auto& [name, path] : *files)
      if (name == "work/" + spec.module + ".py") return fail(path.string() + ": has the student's module's name");
    spec.data_files = std::move(*files);
  }
  return spec;
}

namespace {

// Submissions as they are found, each with a unique name.
struct SubmissionList {
  const std::string& module;
  std::vector<Submission> out;
  std::set<std::string> used;

  // `file` is the module's; with `with_folder`, its folder's other files
  // come too (helper modules, under work/).
  Status add(const fs::path& file, const std::string& label, const std::string& shown, bool with_folder) {
    const std::string base = runner::id_from_stem(label);
    std::string name = base;
    for (int n = 2; used.contains(name); ++n) name = fmt::format("{}-{}", base, n);
    used.insert(name);
    Submission s{name, file, shown, {}, {}};
    if (with_folder) {
      auto files = files_under(file.parent_path(), "work/");
      if (!files) return files.error();
      const std::string own = "work/" + module + ".py";
      for (auto& f : *files)
        if (f.first != own) s.files.push_back(std::move(f));
    }
    out.push_back(std::move(s));
    return ok();
  }

  // A folder holding the module, or a folder of such folders.
  Status add_folder(const fs::path& p, const std::string& shown) {
    std::error_code ec;
    const std::string file_name = module + ".py";
    if (fs::is_regular_file(p / file_name, ec))
      return add(p / file_name, fs::absolute(p, ec).lexically_normal().filename().string(), shown, true);
    std::vector<fs::path> inner;
    for (const auto& e : fs::directory_iterator(p, ec))
      if (e.is_directory(ec) && fs::is_regular_file(e.path() / file_name, ec)) inner.push_back(e.path());
    if (inner.empty()) return fail(fmt::format("{}: holds no {}, nor folders that do", shown, file_name));
    std::sort(inner.begin(), inner.end());
    for (const auto& d : inner)
      if (auto s = add(d / file_name, d.filename().string(), d.string(), true); !s) return s;
    return ok();
  }
};

}  // namespace

Expected<std::vector<Submission>> collect_function_submissions(const std::vector<std::string>& args,
                                                               const std::string& module) {
  SubmissionList list{module, {}, {}};
  for (const auto& a : args) {
    std::error_code ec;
    const fs::path p(a);
    Status s = ok();
    if (fs::is_regular_file(p, ec)) {
      if (!std::ifstream(p)) return fail(a + ": unreadable");
      // stats.py alone, or alice/stats.py: a folder named after its author.
      const bool named = p.filename() == module + ".py";
      const fs::path parent = fs::absolute(p, ec).parent_path();
      s = list.add(p, named ? parent.filename().string() : p.stem().string(), a, false);
    } else if (fs::is_directory(p, ec)) {
      s = list.add_folder(p, a);
    } else {
      return fail(a + ": no such file or folder");
    }
    if (!s) return s.error();
  }
  if (list.out.empty()) return fail("no submissions given");
  return std::move(list.out);
}

}  // namespace pyjudge::judge
