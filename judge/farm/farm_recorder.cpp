#include "judge/farm/farm_recorder.h"

#include <algorithm>
#include <fstream>

#include <spdlog/spdlog.h>

#include "judge/farm/farm_message.h"
#include "runner/sandbox/job_runner.h"

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

// At most `cap` bytes of a file; empty when it cannot be read.
std::string read_capped(const std::filesystem::path& path, std::int64_t cap) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!in || ec) return {};
  std::string out(static_cast<std::size_t>(std::min<std::uintmax_t>(size, static_cast<std::uintmax_t>(cap))), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

}  // namespace

void remove_farm_entry(RedisLink& link, const FarmKeys& keys, const std::string& id,
                       const std::function<bool()>& give_up) {
  (void)link.run({"XDEL", keys.jobs(), id}, give_up);
  (void)link.run({"XACK", keys.jobs(), kFarmGroup, id}, give_up);
}

std::optional<long long> farm_deliveries(RedisLink& link, const FarmKeys& keys, const std::string& id,
                                         const std::function<bool()>& give_up) {
  auto r = link.run({"XPENDING", keys.jobs(), kFarmGroup, id, id, "1"}, give_up);
  // [[id, consumer, idle ms, deliveries]]
  if (!r || reply_size(**r) != 1 || reply_size(reply_at(**r, 0)) != 4) return std::nullopt;
  return reply_integer(reply_at(reply_at(**r, 0), 3));
}

FarmRecorder::FarmRecorder(const FarmTarget& farm, std::string worker, std::function<bool()> give_up)
    : keys_(farm.queue),
      worker_(std::move(worker)),
      give_up_(std::move(give_up)),
      link_(farm.url, std::chrono::seconds(0)) {}

FarmRecorder::Outcome FarmRecorder::record(const std::string& batch, const std::string& unit,
                                           const runner::JobResult& r, std::string out, std::string err) {
  auto reply = record_once(batch, unit, r, std::move(out), std::move(err));
  if (reply) return *reply < 0 ? Outcome::BatchGone : *reply == 0 ? Outcome::Before : Outcome::Now;
  spdlog::error("worker {}: job {}: the result could not be recorded: {}", worker_, r.id, reply.error().message);
  if (give_up_()) return Outcome::Refused;
  runner::JobResult ie = r;
  ie.verdict = runner::Verdict::IE;
  ie.ie_reason = runner::IeReason::SetupError;
  ie.message = "the worker " + worker_ + " could not record the result: " + reply.error().message;
  ie.stdout_truncated = ie.stderr_truncated = false;
  (void)record_once(batch, unit, ie, "", "");
  return Outcome::Refused;
}

FarmRecorder::Outcome FarmRecorder::record_outputs(const std::string& batch, const std::string& unit,
                                                   const runner::JobResult& r, const std::filesystem::path& dir,
                                                   const runner::Limits& caps) {
  return record(batch, unit, r, read_capped(dir / "stdout", caps.stdout_limit_bytes),
                read_capped(dir / "stderr", caps.stderr_limit_bytes));
}

Expected<long long> FarmRecorder::record_once(const std::string& batch, const std::string& unit,
                                              const runner::JobResult& r, std::string out, std::string err) {
  const Fields f = encode_result(unit, r, std::move(out), std::move(err));
  auto reply = link_.run({"EVAL", kRecordScript, "3", keys_.batch(batch), keys_.done(batch), keys_.results(batch), r.id,
                          worker_, f[0].second, f[1].second, f[2].second, kResultsTtlS},
                         give_up_);
  if (!reply) return reply.error();
  return reply_integer(**reply);
}

std::set<std::string> FarmRecorder::recorded(const std::string& batch, const std::vector<runner::Job>& jobs) {
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

void FarmRecorder::reject(const StreamEntry& entry, const std::string& why) {
  // Each named job's result repeats it, and a message can name 10000 jobs.
  const std::string reason = farm_excerpt(why, 1000);
  const std::string id = farm_excerpt(entry.id, 64);
  spdlog::warn("worker {}: rejected message {}: {}", worker_, id, reason);
  const auto who = identify_unit(entry.fields);
  (void)link_.run({"XADD", keys_.rejected(), "MAXLEN", "~", "1000", "*", "entry", id, "worker", worker_, "reason",
                   reason, "batch", who ? who->batch : "", "unit", who ? who->unit : ""},
                  give_up_);
  if (who)
    for (const auto& job : who->job_ids) {
      runner::Job named;
      named.id = job;  // all that is known of it
      runner::JobResult r = runner::ie_result(named, runner::IeReason::InputError,
                                              "the worker " + worker_ + " rejected the message: " + reason);
      r.worker = worker_;
      (void)record(who->batch, who->unit, r, "", "");
    }
  if (is_valid_stream_id(entry.id)) remove_entry(entry.id);
}

}  // namespace pyjudge::judge
