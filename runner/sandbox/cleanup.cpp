#include "runner/sandbox/cleanup.h"

#include <spdlog/spdlog.h>

namespace pyjudge::runner {

Expected<CleanupCount> remove_orphan_containers(Engine& engine, const Session& self, bool everything) {
  auto list = engine.list_containers({{kLabelOwned, "1"}});
  if (!list) return list.error();
  CleanupCount count;
  for (const auto& c : *list) {
    const std::string id = c.value("Id", "");
    std::map<std::string, std::string> labels;
    if (c.contains("Labels") && c["Labels"].is_object()) labels = c["Labels"].get<std::map<std::string, std::string>>();
    const bool mine = labels[kLabelSession] == self.id;
    if (mine || !(everything || owner_is_gone(labels, self.host))) {
      ++count.kept;
      continue;
    }
    if (auto s = engine.remove(id); !s) {
      spdlog::warn("cannot remove container {}: {}", id.substr(0, 12), s.error().message);
      continue;
    }
    spdlog::info("removed container {} (job {}, owner pid {})", id.substr(0, 12), labels[kLabelJob], labels[kLabelPid]);
    ++count.removed;
  }
  return count;
}

Expected<int> remove_session_containers(Engine& engine, const Session& session) {
  auto list = engine.list_containers({{kLabelOwned, "1"}, {kLabelSession, session.id}});
  if (!list) return list.error();
  int removed = 0;
  for (const auto& c : *list)
    if (engine.remove(c.value("Id", ""))) ++removed;
  return removed;
}

int remove_temp_files(const std::filesystem::path& out) {
  int removed = 0;
  std::error_code ec;
  if (!std::filesystem::is_directory(out, ec)) return 0;
  std::vector<std::filesystem::path> doomed;
  for (auto it = std::filesystem::recursive_directory_iterator(out, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos && it->is_regular_file(ec))
      doomed.push_back(it->path());
  }
  for (const auto& p : doomed)
    if (std::filesystem::remove(p, ec)) ++removed;
  return removed;
}

}  // namespace pyjudge::runner
