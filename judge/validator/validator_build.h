// Building a package's C or C++ validator: once per content, in a container
// of the compiler image (scripts/build-image.sh --with g++ --tag pyjudge-gcc),
// and kept in a build cache named by the SHA-256 of its sources, the build
// script and the image. The program then runs in that image too (driver.py).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "judge/batch.h"
#include "judge/check/checker.h"

namespace pyjudge::judge {

struct CompilerOptions {
  std::string image = "pyjudge-gcc";
  std::string image_id;             // the engine's id of the image: part of the cache key
  std::filesystem::path cache_dir;  // empty: default_cache_dir()
};

// $PYJUDGE_CACHE_DIR, else $XDG_CACHE_HOME/pyjudge, else ~/.cache/pyjudge.
std::filesystem::path default_cache_dir();

// The cache key of `program` built with `compiler`: 64 hex digits over the
// build script, the image's name and id, and each file's name and content.
Expected<std::string> build_key(const ValidatorProgram& program, const CompilerOptions& compiler);

struct BuiltProgram {
  std::filesystem::path binary;  // in the cache (or, when it cannot be written, under OUT)
  std::string image;             // the image it runs in
  bool from_cache = false;
};

struct BuildResult {
  std::optional<BuiltProgram> program;  // set when built or found
  // Else why not: the program's own fault (it does not compile, or its build
  // outgrew its limits: the problem's, bad input), or the judge's (the
  // engine failed), or an interrupt (`signal`).
  bool program_fault = false;
  std::string message;
  int signal = 0;
};

// Runs a list of jobs to their end (the grading's executor).
using JobsRunner = std::function<BatchOutcome(std::vector<runner::Job>)>;

// `program` (compiled) built, or found in the cache. The build job's files
// go under OUT/.pyjudge/ (its id and folder: validator-build-KEY).
BuildResult build_validator(const ValidatorProgram& program, const CompilerOptions& compiler,
                            const std::filesystem::path& out, const JobsRunner& run);

// What a failed build's stderr says, for a one-line error: its first lines
// that say "error" (else its first lines), at most `max_lines`.
std::string compiler_message(const std::string& stderr_text, std::size_t max_lines = 6);

}  // namespace pyjudge::judge
