// TarBundle: the files a job sends into its container (the script, and for
// checkers their inputs), packed as an in-memory tar stream with libarchive.
#pragma once

#include <string>
#include <vector>

#include "runner/shared/expected.h"

namespace pyjudge::runner {

struct BundleFile {
  std::string name;  // a plain file name: no slash, no leading dot
  std::string content;
};

// With `paths` (a function run's bundle), names are paths under staff/ or
// work/ (protocol.h); else plain names.
Expected<std::string> build_tar(const std::vector<BundleFile>& files, bool paths = false);

}  // namespace pyjudge::runner
