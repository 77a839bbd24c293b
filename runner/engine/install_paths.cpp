#include "runner/engine/install_paths.h"

#include <filesystem>
#include <system_error>

namespace pyjudge::runner {

namespace {

// PREFIX/share/pyjudge when /proc/self/exe is PREFIX/bin/pyjudge and that
// folder exists; empty otherwise.
std::filesystem::path installed_share() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.parent_path().filename() != "bin") return {};
  const auto share = exe.parent_path().parent_path() / "share" / "pyjudge";
  return std::filesystem::is_directory(share / "scripts", ec) ? share : std::filesystem::path();
}

}  // namespace

bool is_installed() { return !installed_share().empty(); }

std::string helper_script(const std::string& name) {
  const auto share = installed_share();
  return share.empty() ? "scripts/" + name : (share / "scripts" / name).string();
}

}  // namespace pyjudge::runner
