#include "farm_recorder.h"

#include <spdlog/spdlog.h>

#include "farm_message.h"

namespace pyjudge::judge {

namespace {

// 1: recorded; 0: the job had a result; -1: the batch is gone.
constexpr const char* kRecordScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('XADD', KEYS[3], '*', 'meta', ARGV[3], 'stdout', ARGV[4], 'stderr', ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('EXPIRE', KEYS[3], ARGV[6])
return 1
)lua";
// As long as a lost producer's batch key lives (farm_producer.cpp).
constexpr const char* kResultsTtlS = "86400";

}  // namespace

void remove_farm_entry(RedisLink& link, const FarmKeys& keys, const std::string& id,
                       const std::function<bool()>& give_up) {
  (void)link.run({"XDEL", keys.jobs(), id}, give_up);
  (void)link.run({"XACK", keys.jobs(), kFarmGroup, id}, give_up);
}

FarmRecorder::FarmRecorder(const FarmTarget& farm, std::string worker, std::function<bool()> give_up)
    : keys_(farm.queue),
      worker_(std::move(worker)),
      give_up_(std::move(give_up)),
      link_(farm.url, std::chrono::seconds(0)) {}

FarmRecorder::Outcome FarmRecorder::record(const std::string& batch, const std::string& unit, const JobResult& r,
                                           std::string out, std::string err) {
  auto reply = record_once(batch, unit, r, std::move(out), std::move(err));
  if (reply) return *reply < 0 ? Outcome::BatchGone : *reply == 0 ? Outcome::Before : Outcome::Now;
  spdlog::error("worker {}: job {}: the result could not be recorded: {}", worker_, r.id, reply.error().message);
  if (give_up_()) return Outcome::Refused;
  JobResult ie = r;
  ie.verdict = Verdict::IE;
  ie.ie_reason = IeReason::SetupError;
  ie.message = "the worker " + worker_ + " could not record the result: " + reply.error().message;
  ie.stdout_truncated = ie.stderr_truncated = false;
  (void)record_once(batch, unit, ie, "", "");
  return Outcome::Refused;
}

Expected<long long> FarmRecorder::record_once(const std::string& batch, const std::string& unit, const JobResult& r,
                                              std::string out, std::string err) {
  const Fields f = encode_result(unit, r, std::move(out), std::move(err));
  auto reply = link_.run({"EVAL", kRecordScript, "3", keys_.batch(batch), keys_.done(batch), keys_.results(batch), r.id,
                          worker_, f[0].second, f[1].second, f[2].second, kResultsTtlS},
                         give_up_);
  if (!reply) return reply.error();
  return reply_integer(**reply);
}

std::set<std::string> FarmRecorder::recorded(const std::string& batch, const std::vector<Job>& jobs) {
  const std::string done = keys_.done(batch);
  std::vector<std::string_view> args = {"HMGET", done};
  for (const auto& j : jobs) args.emplace_back(j.id);
  std::set<std::string> out;
  auto r = link_.run(args, give_up_);
  if (!r) return out;
  for (std::size_t k = 0; k < reply_size(**r) && k < jobs.size(); ++k)
    if (!reply_is_nil(reply_at(**r, k))) out.insert(jobs[k].id);
  return out;
}

}  // namespace pyjudge::judge
