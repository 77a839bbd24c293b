// read_tar: lists (name, content) of a tar stream, for the tests of build_tar.
#pragma once

#include <string>
#include <vector>

#include "runner/sandbox/tar_bundle.h"

namespace pyjudge::testing {

Expected<std::vector<runner::BundleFile>> read_tar(const std::string& tar);

}  // namespace pyjudge::testing
