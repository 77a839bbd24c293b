// errno_text: the words for an errno value. std::strerror may share one
// buffer between threads and the host code is multi-threaded; this is safe
// from any thread (and the supervisor uses it too).
#pragma once

#include <string>
#include <system_error>

namespace pyjudge {

// errno_text(ENOENT) == "No such file or directory".
inline std::string errno_text(int err) { return std::generic_category().message(err); }

}  // namespace pyjudge
