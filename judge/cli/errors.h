// The two errors a command throws, caught once in cli.cpp: bad usage or
// input (exit 2) and an unavailable engine or image (exit 3).
#pragma once

#include <stdexcept>

#include "judge/exit_codes.h"

namespace pyjudge::cli {

// Thrown for bad usage or bad input, caught once in main: exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Thrown when the engine or the image cannot be used: exit 3.
struct UnavailableError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace pyjudge::cli
