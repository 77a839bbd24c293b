#include "judge/formats/validator_program.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <string>

#include <spdlog/fmt/fmt.h>

#include "runner/shared/protocol.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// The headers that may come with the sources.
bool c_header(const fs::path& f) {
  static const std::set<std::string> kHeaders = {".h", ".hh", ".hpp", ".hxx", ".h++"};
  return kHeaders.contains(f.extension().string());
}

// Source files of languages pyjudge does not run or build.
bool foreign_program(const fs::path& f) {
  static const std::set<std::string> kForeign = {".java", ".kt", ".rs", ".go",    ".hs", ".js",  ".rb",  ".cs",
                                                 ".pas",  ".ml", ".sh", ".scala", ".pl", ".lua", ".php", ".swift"};
  return kForeign.contains(f.extension().string());
}

bool python2(const fs::path& f) {
  std::ifstream in(f);
  std::string first;
  std::getline(in, first);
  return first.starts_with("#!") && first.find("python2") != std::string::npos;
}

Status check_file(const fs::path& f, std::string_view what) {
  const std::string name = f.filename().string();
  if (name == "build" || name == "run")
    return fail(
        fmt::format("{}: {} with the format's build or run script (pyjudge builds C and C++ sources itself, "
                    "and runs Python 3)",
                    f.string(), what));
  if (foreign_program(f))
    return fail(fmt::format("{}: {} in a language pyjudge does not run (Python 3, C and C++ only)", f.string(), what));
  if (f.extension() == ".py" && python2(f))
    return fail(fmt::format("{}: {} in Python 2 (Python 3 only)", f.string(), what));
  // The driver's own names beside the validator's files: its script, the
  // test's files, the folder it runs the validator from, its feedback
  // folder, its capture of the validator's stderr and a built program.
  static const std::set<std::string> kTaken = {kValidatorInputName,   kValidatorAnswerName, kValidatorSpecName,
                                               protocol::kScriptName, "validator",          "feedback",
                                               "validator_stderr",    kBuiltValidatorName};
  if (kTaken.contains(name))
    return fail(f.string() + ": the name '" + name + "' is taken by pyjudge in the validator's folder");
  if (!std::ifstream(f)) return fail(f.string() + ": unreadable");
  return ok();
}

Expected<ValidatorProgram> single_file(const fs::path& program, std::string_view what) {
  if (auto s = check_file(program, what); !s) return s.error();
  ValidatorProgram v;
  v.root = program;
  v.files = {program};
  if (is_c_source(program)) {
    v.compiled = true;
    return v;
  }
  if (program.extension() != ".py")
    return fail(fmt::format("{}: {} that is neither Python (.py) nor a C or C++ source", program.string(), what));
  v.entry = program.filename().string();
  return v;
}

// A folder of Python files: which one runs.
Expected<std::string> python_entry(const fs::path& program, const std::vector<fs::path>& py, std::string_view what) {
  const auto named = [&py](const std::string& name) {
    return std::any_of(py.begin(), py.end(), [&name](const fs::path& f) { return f.filename() == name; });
  };
  if (named("__main__.py")) return std::string();  // "": the folder runs as a program
  if (py.empty())
    return fail(fmt::format("{}: no .py, C or C++ file in {} (Python 3, C and C++ only)", program.string(), what));
  // Else, in this order: the only one, validate.py, FOLDER.py.
  const std::string folder = program.filename().string() + ".py";
  const std::string only = py.size() == 1 ? py.front().filename().string() : "";
  for (const std::string& entry : {only, std::string("validate.py"), folder})
    if (!entry.empty() && named(entry)) return entry;
  return fail(program.string() + ": " + std::to_string(py.size()) + " .py files and none is __main__.py, validate.py " +
              "or " + folder + "; cannot tell which one to run");
}

}  // namespace

bool is_c_source(const fs::path& f) {
  static const std::set<std::string> kSources = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C"};
  return kSources.contains(f.extension().string());
}

Expected<std::optional<fs::path>> find_validator_program(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir / "output_validator", ec)) {
    // The program is the folder; or, as problemtools' own examples have it,
    // the one folder it holds.
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(dir / "output_validator", ec))
      if (e.path().filename().string().front() != '.') entries.push_back(e.path());
    if (entries.size() == 1 && fs::is_directory(entries.front(), ec)) return std::optional<fs::path>(entries.front());
    return std::optional<fs::path>(dir / "output_validator");
  }
  const fs::path many = dir / "output_validators";
  if (!fs::is_directory(many, ec)) return std::optional<fs::path>();
  std::vector<fs::path> programs;
  for (const auto& e : fs::directory_iterator(many, ec))
    if (e.path().filename().string().front() != '.') programs.push_back(e.path());
  std::sort(programs.begin(), programs.end());
  if (programs.empty()) return std::optional<fs::path>();
  if (programs.size() > 1)
    return fail(many.string() + ": " + std::to_string(programs.size()) +
                " output validators; pyjudge runs one (keep one, or merge them)");
  return std::optional<fs::path>(programs.front());
}

Expected<std::vector<fs::path>> find_input_validators(const fs::path& dir) {
  std::vector<fs::path> programs;
  std::error_code ec;
  for (const char* name : {"input_validators", "input_validator"}) {
    const fs::path folder = dir / name;
    if (!fs::is_directory(folder, ec)) continue;
    fs::directory_iterator it(folder, ec);
    if (ec) return fail(folder.string() + ": " + ec.message());
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) return fail(folder.string() + ": " + ec.message());
      if (it->path().filename().string().front() != '.') programs.push_back(it->path());
    }
  }
  std::sort(programs.begin(), programs.end());
  return programs;
}

Expected<ValidatorProgram> validator_program(const fs::path& program, std::string_view what) {
  std::error_code ec;
  if (fs::is_regular_file(program, ec)) return single_file(program, what);
  ValidatorProgram v;
  v.root = program;
  std::vector<fs::path> py;
  bool sources = false;
  fs::directory_iterator it(program, ec);
  if (ec) return fail(program.string() + ": " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return fail(program.string() + ": " + ec.message());
    const auto& f = it->path();
    if (f.filename() == "__pycache__") continue;
    if (it->is_directory(ec)) return fail(fmt::format("{}: sub-folders in {} are not supported", f.string(), what));
    if (auto s = check_file(f, what); !s) return s.error();
    v.files.push_back(f);
    if (f.extension() == ".py") py.push_back(f);
    sources = sources || is_c_source(f);
  }
  std::sort(v.files.begin(), v.files.end());
  if (sources && !py.empty())
    return fail(fmt::format("{}: {} with both Python and C or C++ sources; cannot tell which is the program",
                            program.string(), what));
  if (sources) {
    v.compiled = true;
    return v;
  }
  // Headers without a source: not a C program, and not Python's.
  for (const auto& f : v.files)
    if (c_header(f)) return fail(fmt::format("{}: a C or C++ header in {} with no source", f.string(), what));
  auto entry = python_entry(program, py, what);
  if (!entry) return entry.error();
  v.entry = *entry;
  return v;
}

Expected<CheckerSpec> output_validator(const fs::path& program) {
  auto v = validator_program(program, "an output validator");
  if (!v) return v.error();
  CheckerSpec c;
  c.kind = CheckerKind::Validator;
  c.validator = std::move(*v);
  return c;
}

}  // namespace pyjudge::judge
