// FarmKeys: the Redis keys of one queue, named in one place. A queue NAME
// holds the job stream NAME:jobs (consumer group "workers") and, per batch,
// NAME:batch:ID (alive while its producer wants results), NAME:done:ID (job
// id -> the worker that recorded it) and NAME:results:ID (the results).
#pragma once

#include <string>

namespace pyjudge::judge {

inline constexpr const char* kFarmGroup = "workers";
// The wire format's version (field "v" of every job message).
inline constexpr const char* kFarmVersion = "1";

struct FarmKeys {
  std::string name;

  std::string jobs() const { return name + ":jobs"; }
  std::string rejected() const { return name + ":rejected"; }  // capped: the last 1000 rejections
  std::string batch(const std::string& id) const { return name + ":batch:" + id; }
  std::string done(const std::string& id) const { return name + ":done:" + id; }
  std::string results(const std::string& id) const { return name + ":results:" + id; }
};

}  // namespace pyjudge::judge
