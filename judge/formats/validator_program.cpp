#include "judge/formats/validator_program.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <vector>

#include "runner/shared/protocol.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// Source files of languages pyjudge does not run, and the format's
// build/run scripts.
bool foreign_program(const fs::path& f) {
  static const std::set<std::string> kForeign = {".c",  ".cc",    ".cpp", ".cxx", ".c++", ".h",   ".hpp",  ".java",
                                                 ".kt", ".rs",    ".go",  ".hs",  ".js",  ".rb",  ".cs",   ".pas",
                                                 ".ml", ".scala", ".sh",  ".pl",  ".lua", ".php", ".swift"};
  const std::string name = f.filename().string();
  return name == "build" || name == "run" || kForeign.contains(f.extension().string());
}

bool python2(const fs::path& f) {
  std::ifstream in(f);
  std::string first;
  std::getline(in, first);
  return first.starts_with("#!") && first.find("python2") != std::string::npos;
}

Status check_file(const fs::path& f) {
  if (foreign_program(f))
    return fail(f.string() + ": an output validator that is not Python (pyjudge runs Python 3 validators only)");
  if (f.extension() == ".py" && python2(f)) return fail(f.string() + ": a Python 2 output validator (Python 3 only)");
  const std::string name = f.filename().string();
  // The driver's own names beside the validator's files: its script, the
  // test's files, the folder it runs the validator from, its feedback
  // folder and its capture of the validator's stderr.
  static const std::set<std::string> kTaken = {kValidatorInputName,   kValidatorAnswerName, kValidatorSpecName,
                                               protocol::kScriptName, "validator",          "feedback",
                                               "validator_stderr"};
  if (kTaken.contains(name))
    return fail(f.string() + ": the name '" + name + "' is taken by pyjudge in the validator's folder");
  if (!std::ifstream(f)) return fail(f.string() + ": unreadable");
  return ok();
}

}  // namespace

Expected<std::optional<fs::path>> find_validator_program(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir / "output_validator", ec)) return std::optional<fs::path>(dir / "output_validator");
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

Expected<CheckerSpec> python_validator(const fs::path& program) {
  CheckerSpec c;
  c.kind = CheckerKind::Validator;
  std::error_code ec;
  if (fs::is_regular_file(program, ec)) {
    if (auto s = check_file(program); !s) return s.error();
    if (program.extension() != ".py")
      return fail(program.string() + ": an output validator that is not Python (pyjudge runs .py validators only)");
    c.validator_files = {program};
    c.validator_entry = program.filename().string();
    return c;
  }
  std::vector<fs::path> py;
  fs::directory_iterator it(program, ec);
  if (ec) return fail(program.string() + ": " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return fail(program.string() + ": " + ec.message());
    const auto& e = *it;
    const auto& f = e.path();
    if (f.filename() == "__pycache__") continue;
    if (e.is_directory(ec)) return fail(f.string() + ": sub-folders in an output validator are not supported");
    if (auto s = check_file(f); !s) return s.error();
    c.validator_files.push_back(f);
    if (f.extension() == ".py") py.push_back(f);
  }
  std::sort(c.validator_files.begin(), c.validator_files.end());
  const auto named = [&py](const std::string& name) {
    return std::any_of(py.begin(), py.end(), [&name](const fs::path& f) { return f.filename() == name; });
  };
  if (named("__main__.py")) return c;  // entry "": the folder runs as a program
  if (py.empty()) return fail(program.string() + ": no .py file in the output validator (Python 3 only)");
  // Else, in this order: the only one, validate.py, FOLDER.py.
  const std::string folder = program.filename().string() + ".py";
  const std::string only = py.size() == 1 ? py.front().filename().string() : "";
  for (const std::string& entry : {only, std::string("validate.py"), folder})
    if (!entry.empty() && named(entry)) {
      c.validator_entry = entry;
      return c;
    }
  return fail(program.string() + ": " + std::to_string(py.size()) + " .py files and none is __main__.py, validate.py " +
              "or " + folder + "; cannot tell which one to run");
}

}  // namespace pyjudge::judge
