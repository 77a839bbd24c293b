// OwnedContainer: a created container whose owner force-removes it on
// destruction, so no error path or exception can leave it behind.
#pragma once

#include <string>

#include "runner/engine/engine.h"

namespace pyjudge::runner {

class OwnedContainer {
 public:
  OwnedContainer(Engine& engine, std::string id) : engine_(&engine), id_(std::move(id)) {}
  OwnedContainer(const OwnedContainer&) = delete;
  OwnedContainer& operator=(const OwnedContainer&) = delete;
  OwnedContainer(OwnedContainer&&) = delete;
  OwnedContainer& operator=(OwnedContainer&&) = delete;
  ~OwnedContainer() { (void)remove(); }

  const std::string& id() const { return id_; }
  // Removes now (force); later calls and the destructor do nothing.
  Status remove();

 private:
  Engine* engine_;
  std::string id_;
};

}  // namespace pyjudge::runner
