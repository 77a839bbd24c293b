// FarmRecorder: how a worker writes results into a batch. Each job's result
// is recorded once, by one Lua script that writes nothing when the batch is
// gone or the job has a result already; what earlier workers recorded can be
// read back; a finished or rejected entry leaves the queue.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "judge/farm/farm_keys.h"
#include "judge/farm/farm_producer.h"
#include "judge/farm/redis_link.h"
#include "runner/job/job.h"
#include "runner/job/result.h"

namespace pyjudge::judge {

// Off the stream, then off the group's pending list (in that order: an entry
// acknowledged but not deleted would look queued to its producer and never
// be delivered again).
void remove_farm_entry(RedisLink& link, const FarmKeys& keys, const std::string& id,
                       const std::function<bool()>& give_up);

// How many times the group has delivered entry `id` (XPENDING's count), or
// nothing when Redis does not say.
std::optional<long long> farm_deliveries(RedisLink& link, const FarmKeys& keys, const std::string& id,
                                         const std::function<bool()>& give_up);

class FarmRecorder {
 public:
  // `worker`: the name results carry; `give_up`: when to stop waiting for a
  // Redis that is away (the worker's second signal).
  FarmRecorder(const FarmTarget& farm, std::string worker, std::function<bool()> give_up);

  Status connect() { return link_.connect(); }

  enum class Outcome {
    Now,        // recorded
    Before,     // the job had a result already
    BatchGone,  // its producer cancelled the batch: stop the unit
    Refused,    // Redis refused it; an IE saying why was recorded in its place
  };
  Outcome record(const std::string& batch, const std::string& unit, const runner::JobResult& r, std::string out,
                 std::string err);

  // The same with the job's stdout and stderr from `dir`, each read up to
  // its cap in `caps` (the job's limits), never whole: the runner keeps an
  // output within its cap, and a worker holds no more than that in memory
  // whatever the file holds.
  Outcome record_outputs(const std::string& batch, const std::string& unit, const runner::JobResult& r,
                         const std::filesystem::path& dir, const runner::Limits& caps);

  // The ids among `jobs` that some worker recorded already (a take-over goes
  // on from the first job without a result).
  std::set<std::string> recorded(const std::string& batch, const std::vector<runner::Job>& jobs);

  void remove_entry(const std::string& id) { remove_farm_entry(link_, keys_, id, give_up_); }

  // A message no worker will run: the reason goes to NAME:rejected, each job
  // it names gets an IE result saying why (so that its producer does not
  // wait), and the entry leaves the queue. An entry id not of Redis's form
  // names nothing to remove. `why` is capped here: it may quote the message.
  void reject(const StreamEntry& entry, const std::string& why);

 private:
  Expected<long long> record_once(const std::string& batch, const std::string& unit, const runner::JobResult& r,
                                  std::string out, std::string err);

  const FarmKeys keys_;
  const std::string worker_;
  const std::function<bool()> give_up_;
  RedisLink link_;
};

}  // namespace pyjudge::judge
