// Result files: atomic whole-file writes and a size-capped streaming file
// that only becomes visible under its final name when committed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "runner/shared/expected.h"
#include "runner/shared/unique_fd.h"

namespace pyjudge::runner {

// The whole content of a file; the error names the path.
Expected<std::string> read_file(const std::filesystem::path& path);

// Writes `content` to a temporary file beside `path`, then renames it over
// `path`, so readers see the old file or the new one, never a torn one.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);

// A file being streamed into: keeps at most `cap` bytes, counts the rest, and
// is removed on destruction unless committed.
class CappedFile {
 public:
  CappedFile() = default;
  CappedFile(const CappedFile&) = delete;
  CappedFile& operator=(const CappedFile&) = delete;
  CappedFile(CappedFile&&) = default;
  CappedFile& operator=(CappedFile&& other) noexcept;
  ~CappedFile();

  static Expected<CappedFile> create(const std::filesystem::path& final_path, std::int64_t cap);

  // Appends what fits under the cap and counts the rest; an error only when
  // the file cannot be written. truncated() tells whether anything was cut.
  Status write(std::string_view data);
  bool truncated() const { return seen_ > cap_; }
  std::int64_t bytes_seen() const { return seen_; }
  Status commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  UniqueFd fd_;
  std::int64_t cap_ = 0;
  std::int64_t seen_ = 0;
  bool committed_ = false;
};

// A name for a temporary file beside `path` that no other writer will pick.
std::filesystem::path temp_sibling(const std::filesystem::path& path);

}  // namespace pyjudge::runner
