// Job: one script to run — its id, its files and its limits — and the rule
// that makes an id safe to use as a file and container name.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/job/job_limits.h"
#include "runner/shared/expected.h"

namespace pyjudge::runner {

struct Job {
  std::string id;
  std::filesystem::path script;
  std::optional<std::filesystem::path> stdin_file;
  Limits limits;
  // Where under OUT the results go; empty means OUT/ID.
  std::filesystem::path result_dir;
  // More files placed beside the script in the container's /tmp, by name
  // (a checker's input, expected and actual output).
  std::vector<std::pair<std::string, std::filesystem::path>> files;
  // Jobs with the same non-empty group may run one after another in one
  // container (a trust boundary: one author's jobs only). Empty: a fresh
  // container of its own.
  std::string group;
  // A function run (docs/functions.md) when not empty: the student's module,
  // graded by the staff's tests. `script` is then the module's file (its
  // place in the bundle is work/MODULE.py) and each of `files` is named by a
  // path under staff/ or work/. With `collect`, the staff's tests are only
  // listed: no student code runs and the script is not sent.
  std::string module;
  bool collect = false;
  // An interactive run when set: the validator's job, run at the same time
  // in a container of its own, its stdout this run's stdin and this run's
  // stdout its stdin (runner/sandbox/interactive_pair.h). Its results go to
  // its own result_dir.
  std::shared_ptr<const Job> interactor;
  // The image to run in when not empty; else the run's (RunContext::image).
  // A compiled output validator's build and runs take the compiler image.
  std::string image;

  bool function_run() const { return !module.empty(); }
  // The run header's entry: the script's name, or the function run's.
  std::string entry() const;
  // The job's image, or `fallback` (the run's) when it names none.
  const std::string& image_or(const std::string& fallback) const { return image.empty() ? fallback : image; }
};

// OUT/ID, or OUT/result_dir when the job names one.
std::filesystem::path result_dir_of(const std::filesystem::path& out, const Job& job);

// [A-Za-z0-9][A-Za-z0-9._-]{0,63}: no slash, no leading dot, so no traversal.
bool is_valid_id(std::string_view id);
// An id made from a file's stem: other characters become '_', a leading
// one that may not start an id gets an 's' before it, at most `max` long.
std::string id_from_stem(const std::string& stem, std::size_t max = 32);

// Largest script accepted: it travels in memory to the container.
inline constexpr std::int64_t kMaxScriptBytes = 16LL << 20;

// Checks the id, that each file exists, is a regular readable file, and the
// limits; the message names the offending field or path.
Status validate(const Job& job);

}  // namespace pyjudge::runner
