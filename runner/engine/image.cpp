#include "runner/engine/image.h"

#include <algorithm>

#include "runner/engine/install_paths.h"
#include "runner/shared/protocol.h"

namespace pyjudge::runner {

Expected<ImageInfo> check_image(Engine& engine, const std::string& image) {
  auto j = engine.inspect_image(image);
  if (!j) {
    if (j.error().http_status == 404)
      return fail("image '" + image + "' not found; build it with '" + helper_script("build-image.sh") + "'", 404);
    return j.error();
  }
  const auto& labels = (*j)["Config"]["Labels"];
  const std::string want = std::to_string(protocol::kVersion);
  const std::string have = labels.is_object() ? labels.value(kLabelProtocol, std::string()) : std::string();
  if (have != want)
    return fail("image '" + image + "' speaks protocol '" + have + "', this pyjudge needs '" + want +
                "'; rebuild it with '" + helper_script("build-image.sh") + " --force'");
  ImageInfo info;
  info.id = j->value("Id", std::string());
  std::string list = labels.value(kLabelPackages, std::string());
  for (std::size_t start = 0; start < list.size();) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    if (end > start) info.packages.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return info;
}

}  // namespace pyjudge::runner
