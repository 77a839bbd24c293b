#include "judge/farm/farm_state_file.h"

#include <fstream>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/farm/farm_message.h"
#include "runner/job/files.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

FarmStateFile::FarmStateFile(const fs::path& out, const std::string& label)
    : path_(out / ".pyjudge" / ("farm-" + label + ".json")) {}

std::optional<std::string> FarmStateFile::batch_for(const std::string& queue) const {
  std::ifstream in(path_);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  const auto text = [&](const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  if (!in || text("queue_name") != queue || !is_valid_batch_id(text("batch"))) return std::nullopt;
  return text("batch");
}

void FarmStateFile::write(const std::string& url_shown, const std::string& queue, const std::string& batch) const {
  std::error_code ec;
  fs::create_directories(path_.parent_path(), ec);
  const nlohmann::json j = {{"queue", url_shown}, {"queue_name", queue}, {"batch", batch}};
  if (auto s = runner::write_file_atomic(path_, j.dump(2) + "\n"); !s)
    spdlog::warn("queue: {} (--resume will start the batch afresh)", s.error().message);
}

void FarmStateFile::remove() const {
  std::error_code ec;
  fs::remove(path_, ec);
  fs::remove(path_.parent_path(), ec);  // only when empty
}

}  // namespace pyjudge::judge
