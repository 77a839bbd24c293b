#include "judge/formats/submission.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "runner/job/job.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

Expected<std::vector<Submission>> collect_submissions(const std::vector<std::string>& args) {
  std::vector<Submission> out;
  std::set<std::string> used;
  auto add = [&](const fs::path& file, const std::string& shown) {
    std::string base = runner::id_from_stem(file.stem().string());  // folder names and job ids
    std::string name = base;
    for (int n = 2; used.contains(name); ++n) name = base + "-" + std::to_string(n);
    used.insert(name);
    out.push_back({name, file, shown, {}, {}});
  };
  for (const auto& a : args) {
    std::error_code ec;
    const fs::path p(a);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.path().extension() == ".py" && e.is_regular_file(ec)) files.push_back(e.path());
      if (files.empty()) return fail(a + ": no .py files in this folder");
      std::sort(files.begin(), files.end());
      for (const auto& f : files) add(f, f.string());
    } else if (fs::is_regular_file(p, ec)) {
      if (!std::ifstream(p)) return fail(a + ": unreadable");
      add(p, a);
    } else {
      return fail(a + ": no such file or folder");
    }
  }
  if (out.empty()) return fail("no submissions given");
  return out;
}

}  // namespace pyjudge::judge
