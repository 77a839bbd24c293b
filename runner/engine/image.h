// Image check: the runner image exists and speaks this pyjudge's protocol.
#pragma once

#include <string>
#include <vector>

#include "runner/engine/engine.h"

namespace pyjudge::runner {

inline constexpr const char* kDefaultImage = "pyjudge-python";
inline constexpr const char* kLabelProtocol = "org.pyjudge.protocol";

inline constexpr const char* kLabelPackages = "org.pyjudge.packages";

struct ImageInfo {
  std::string id;                     // the engine's, "sha256:..."
  std::vector<std::string> packages;  // Debian packages added by build-image.sh --with
};

// The image's labels; an error whose message says what to run to get a
// usable image.
Expected<ImageInfo> check_image(Engine& engine, const std::string& image);

}  // namespace pyjudge::runner
