// Image check: the runner image exists and speaks this pyjudge's protocol.
#pragma once

#include <string>

#include "engine.h"

namespace pyjudge {

inline constexpr const char* kDefaultImage = "pyjudge-python";
inline constexpr const char* kLabelProtocol = "org.pyjudge.protocol";

// An error whose message says what to run to get a usable image.
Status check_image(Engine& engine, const std::string& image);

}  // namespace pyjudge
