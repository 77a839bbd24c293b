#include "image.h"

#include "install_paths.h"
#include "supervisor_protocol.h"

namespace pyjudge {

Status check_image(Engine& engine, const std::string& image) {
  auto j = engine.inspect_image(image);
  if (!j) {
    if (j.error().http_status == 404)
      return fail("image '" + image + "' not found; build it with '" + helper_script("build-image.sh") + "'");
    return j.error();
  }
  const auto& labels = (*j)["Config"]["Labels"];
  const std::string want = std::to_string(kProtocolVersion);
  const std::string have = labels.is_object() ? labels.value(kLabelProtocol, std::string()) : std::string();
  if (have != want)
    return fail("image '" + image + "' speaks protocol '" + have + "', this pyjudge needs '" + want +
                "'; rebuild it with '" + helper_script("build-image.sh") + " --force'");
  return ok();
}

}  // namespace pyjudge
