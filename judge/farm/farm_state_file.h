// FarmStateFile: OUT/.pyjudge/farm-LABEL.json, which names a farm batch while
// its producer runs, so that --resume takes the same batch up (and a fresh
// run can cancel the batch a lost producer left).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace pyjudge::judge {

class FarmStateFile {
 public:
  FarmStateFile(const std::filesystem::path& out, const std::string& label);

  // The batch id it holds for `queue` (a queue name), if any and well-formed.
  std::optional<std::string> batch_for(const std::string& queue) const;
  // Written atomically; a failure is logged (--resume then starts afresh).
  void write(const std::string& url_shown, const std::string& queue, const std::string& batch) const;
  // The file, and its folder when that is left empty.
  void remove() const;

 private:
  std::filesystem::path path_;
};

}  // namespace pyjudge::judge
