// The farm's wire format: a unit of jobs (one job, or every job of one
// group) as a Redis stream entry, and one job's result as another. Pure
// functions, so that every rule on what a worker accepts is unit-tested.
//
// A unit entry has the fields v ("1"), meta (JSON: batch, unit, shared, and
// per job its id, limits and which blob is its script, stdin and files) and
// b0, b1, ... (the files' bytes, each file once however many jobs use it).
// A result entry has meta (JSON: unit, and the job's result.json) and
// stdout and stderr.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "judge/farm/redis_client.h"
#include "runner/job/job.h"
#include "runner/job/result.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

// Size limits of a message (docs/farm.md, "Size limits of a message"). A script is at most
// kMaxScriptBytes (16 MiB), as locally.
inline constexpr std::int64_t kMaxFarmFileBytes = 64LL << 20;   // stdin or a checker's file
inline constexpr std::int64_t kMaxFarmUnitBytes = 256LL << 20;  // all of a unit's files
inline constexpr std::size_t kMaxFarmMetaBytes = 4 << 20;       // a message's JSON part
inline constexpr std::size_t kMaxFarmUnitJobs = 10000;
// A result travels in one Redis argument (512 MB by default), and a worker
// holds a job's outputs in memory while it records them.
inline constexpr std::int64_t kMaxFarmOutputBytes = 256LL << 20;
// A worker's own ceilings on what one job asks of it. Its /tmp: the bundle
// must fit there, so this bounds what a job can make a worker build.
inline constexpr std::int64_t kMaxFarmTmpBytes = 1LL << 30;
// A job's bundle (its script and files) is built in the worker's memory,
// each blob once per name it is used under: one 64 MiB blob under a
// thousand names would be 64 GiB, so the expanded size is what counts.
inline constexpr std::int64_t kMaxFarmBundleBytes = 256LL << 20;
inline constexpr std::size_t kMaxFarmJobFiles = 4096;
// A unit taken over more often than this killed or lost every worker that
// took it (out of memory, say): the next worker records its jobs as IE
// instead of running it again.
inline constexpr long long kMaxFarmDeliveries = 3;

// A farm job's files and output caps must fit the wire format's limits, and
// it may not choose its runtime (the worker's operator does). The error
// names the file or the limit.
Status farm_accepts(const runner::Job& job);

struct FarmJob {
  std::string id;
  std::size_t script = 0;  // blob index
  std::optional<std::size_t> stdin_blob;
  std::vector<std::pair<std::string, std::size_t>> files;  // name in /tmp, blob index
  runner::Limits limits;
  std::string module;  // a function run's (runner::Job::module)
  bool collect = false;
};

struct FarmUnit {
  std::string batch;
  std::string unit;
  bool shared = false;  // the jobs may share one container (a group)
  std::vector<FarmJob> jobs;
  std::vector<std::string_view> blobs;  // views into the decoded entry's fields
};

// A unit's entry from its jobs (their files read here). The error names the
// job and the file, and says which limit a file exceeds.
Expected<Fields> encode_unit(const std::string& batch, const std::string& unit, bool shared,
                             const std::vector<const runner::Job*>& jobs);

// What a worker accepts: every rule checked, the reason in the error.
Expected<FarmUnit> decode_unit(const FieldViews& fields);

// What can be learnt of a rejected unit, to tell its producer: the batch,
// the unit and the job ids, when the meta field at least parses that far.
struct UnitIdentity {
  std::string batch;
  std::string unit;
  std::vector<std::string> job_ids;
};
std::optional<UnitIdentity> identify_unit(const FieldViews& fields);

struct FarmResult {
  std::string unit;
  runner::JobResult result;
  std::string_view out;  // stdout and stderr, views into the entry's fields
  std::string_view err;
};

Fields encode_result(const std::string& unit, const runner::JobResult& result, std::string out, std::string err);
Expected<FarmResult> decode_result(const FieldViews& fields);

// A job id on the wire: 1-128 of [A-Za-z0-9._-], starting with a letter or
// digit (a grading's check ids are longer than a batch line's 64). Workers
// never make a path of it.
bool is_valid_farm_job_id(std::string_view id);
// A file's name in the container's /tmp: 1-255 of [A-Za-z0-9._-], not
// starting with a dot (a validator's _util.py passes). The script's own
// name there (main.py) is reserved: decode_unit refuses a file of that name
// ("... is the script's own name in /tmp (reserved)").
bool is_valid_farm_file_name(std::string_view name);

// A stream entry id as Redis makes them, <ms>-<seq> (digits only): the
// only ids a worker acts on, since it names its scratch folder after one.
bool is_valid_stream_id(std::string_view id);

// What a message may repeat of an attacker-chosen name in a rejection: at
// most about 200 bytes, control characters as '?', cut at a UTF-8 boundary
// and marked with an ellipsis.
std::string farm_excerpt(std::string_view text, std::size_t max = 200);

// A batch id: 16-32 lowercase hex digits.
bool is_valid_batch_id(std::string_view id);

}  // namespace pyjudge::judge
