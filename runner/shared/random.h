// Random identifiers for sessions, nonces and temp names, from the kernel.
#pragma once

#include <cstddef>
#include <string>

namespace pyjudge {

// `bytes` random bytes from getrandom(2), as lowercase hex.
std::string random_hex(std::size_t bytes);

}  // namespace pyjudge
