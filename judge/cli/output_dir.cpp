#include "judge/cli/output_dir.h"

#include <unistd.h>

#include "judge/cli/errors.h"
#include "runner/job/files.h"

namespace pyjudge::cli {

std::filesystem::path prepare_output_dir(const std::string& path) {
  if (path.empty()) throw UsageError("--out must not be empty");
  std::filesystem::path p(path);
  std::error_code ec;
  std::filesystem::create_directories(p, ec);
  if (ec) throw UsageError("cannot create output folder '" + path + "': " + ec.message());
  if (!std::filesystem::is_directory(p, ec)) throw UsageError("output folder '" + path + "' is not a folder");
  if (::access(p.c_str(), W_OK | X_OK) != 0) throw UsageError("output folder '" + path + "' is not writable");
  return p;
}

}  // namespace pyjudge::cli
