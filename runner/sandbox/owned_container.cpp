#include "runner/sandbox/owned_container.h"

#include <spdlog/spdlog.h>

namespace pyjudge::runner {

Status OwnedContainer::remove() {
  if (id_.empty()) return ok();
  auto s = engine_->remove(id_);
  if (!s) {
    // One retry on a fresh attempt: a removal racing the container's own exit
    // can fail transiently ("removal already in progress").
    s = engine_->remove(id_);
    if (!s) spdlog::warn("container {} not removed: {}", id_.substr(0, 12), s.error().message);
  }
  id_.clear();
  return s;
}

}  // namespace pyjudge::runner
