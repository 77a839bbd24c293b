// The results folder: created if missing, and proven writable before any
// container starts, so a bad --out is a usage error and not a lost result.
#pragma once

#include <filesystem>
#include <string>

namespace pyjudge::cli {

// Throws UsageError when the folder cannot be created or written.
std::filesystem::path prepare_output_dir(const std::string& path);

}  // namespace pyjudge::cli
