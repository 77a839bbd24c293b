// FarmKeys: the Redis keys of one queue, named in one place. A queue NAME
// holds the job stream NAME:jobs (consumer group "workers") and, per batch,
// NAME:batch:ID (alive while its producer wants results), NAME:done:ID (job
// id -> the worker that recorded it) and NAME:results:ID (the results).
#pragma once

#include <array>
#include <string>
#include <utility>

namespace pyjudge::judge {

inline constexpr const char* kFarmGroup = "workers";
// The wire format's version (field "v" of every job message).
inline constexpr const char* kFarmVersion = "1";

class FarmKeys {
 public:
  explicit FarmKeys(std::string name)
      : name_(std::move(name)), jobs_(name_ + ":jobs"), rejected_(name_ + ":rejected") {}

  // Returned by reference: commands take string_views of them.
  const std::string& name() const { return name_; }
  const std::string& jobs() const { return jobs_; }
  const std::string& rejected() const { return rejected_; }  // capped: the last 1000 rejections
  std::string batch(const std::string& id) const { return name_ + ":batch:" + id; }
  std::string done(const std::string& id) const { return name_ + ":done:" + id; }
  std::string results(const std::string& id) const { return name_ + ":results:" + id; }
  // Every key of one batch, its marker first.
  std::array<std::string, 3> of_batch(const std::string& id) const { return {batch(id), done(id), results(id)}; }

 private:
  std::string name_;
  std::string jobs_;
  std::string rejected_;
};

}  // namespace pyjudge::judge
