#include "judge/farm/farm_message.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "judge/farm/farm_keys.h"
#include "runner/job/files.h"
#include "runner/shared/protocol.h"

namespace pyjudge::judge {

using nlohmann::json;

namespace {

// docs/farm.md documents the reserved name; a new script name changes it too.
static_assert(std::string_view(protocol::kScriptName) == "main.py");

std::string blob_field(std::size_t i) { return "b" + std::to_string(i); }

bool safe_name_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

bool is_valid_unit_key(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

// Builds a unit's blobs, each distinct file once.
class BlobTable {
 public:
  Expected<std::size_t> add(const std::filesystem::path& path, const std::string& job, std::int64_t max,
                            const std::string& what) {
    if (auto it = index_.find(path); it != index_.end()) return it->second;
    auto content = runner::read_file(path);
    if (!content) return fail("job '" + job + "': " + content.error().message);
    if (static_cast<std::int64_t>(content->size()) > max)
      return fail("job '" + job + "': " + what + " '" + path.string() + "' is larger than the farm's " +
                  runner::format_size(max) + " per file");
    total_ += static_cast<std::int64_t>(content->size());
    if (total_ > kMaxFarmUnitBytes)
      return fail("job '" + job + "': the files of its unit come to more than the farm's " +
                  runner::format_size(kMaxFarmUnitBytes) + " per message");
    index_.emplace(path, blobs_.size());
    blobs_.push_back(std::move(*content));
    return blobs_.size() - 1;
  }
  std::vector<std::string>& blobs() { return blobs_; }

 private:
  std::map<std::filesystem::path, std::size_t> index_;
  std::vector<std::string> blobs_;
  std::int64_t total_ = 0;
};

Expected<json> encode_job(const runner::Job& job, BlobTable& blobs) {
  if (!job.limits.runtime.empty())
    return fail("job '" + job.id + "': a farm job cannot choose its runtime (the worker's --runtime does)");
  auto script = blobs.add(job.script, job.id, runner::kMaxScriptBytes, "script");
  if (!script) return script.error();
  json j = {{"id", job.id}, {"script", *script}, {"limits", to_json(job.limits)}, {"stdin", nullptr}};
  if (job.stdin_file) {
    auto in = blobs.add(*job.stdin_file, job.id, kMaxFarmFileBytes, "stdin file");
    if (!in) return in.error();
    j["stdin"] = *in;
  }
  json files = json::array();
  for (const auto& [name, path] : job.files) {
    auto f = blobs.add(path, job.id, kMaxFarmFileBytes, "file");
    if (!f) return f.error();
    files.push_back({name, *f});
  }
  j["files"] = std::move(files);
  if (job.function_run()) j["function"] = {{"module", job.module}, {"collect", job.collect}};
  return j;
}

std::optional<std::string_view> field(const FieldViews& fields, std::string_view name) {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return std::nullopt;
}

Expected<std::size_t> blob_index(const json& j, std::size_t blobs, const std::string& what) {
  if (!j.is_number_unsigned() || j.get<std::size_t>() >= blobs) return fail(what + " names no blob of the message");
  return j.get<std::size_t>();
}

// A job's files: [[name, blob], ...], each name once and not the script's.
Status decode_files(const json& j, const FarmUnit& unit, const std::string& who, FarmJob& job) {
  const auto files = j.find("files");
  if (files == j.end()) return ok();
  if (!files->is_array()) return fail(who + "files is not an array");
  if (files->size() > kMaxFarmJobFiles)
    return fail(fmt::format("{}more than the farm's {} files", who, kMaxFarmJobFiles));
  std::set<std::string> names;
  for (const auto& f : *files) {
    if (!f.is_array() || f.size() != 2 || !f[0].is_string()) return fail(who + "a file is not [name, blob]");
    const auto name = f[0].get<std::string>();
    // Else the file would replace the script in the container's /tmp, or
    // clash with it (the bundle refuses a name twice: an IE at set-up).
    if (name == protocol::kScriptName)
      return fail(fmt::format("{}file name '{}' is the script's own name in /tmp (reserved)", who, name));
    const bool good = job.module.empty() ? is_valid_farm_file_name(name) : protocol::is_function_bundle_path(name);
    if (!good || !names.insert(name).second)
      return fail(fmt::format("{}bad or repeated file name '{}'", who, farm_excerpt(name)));
    auto b = blob_index(f[1], unit.blobs.size(), fmt::format("{}file '{}'", who, name));
    if (!b) return b.error();
    job.files.emplace_back(name, *b);
  }
  return ok();
}

// What the job's bundle comes to in the worker's memory: the script and each
// file under every name it is given (a blob is sent once, but packed once
// per name).
Status check_bundle(const FarmUnit& unit, const std::string& who, const FarmJob& job) {
  auto expanded = static_cast<std::int64_t>(unit.blobs[job.script].size());
  for (const auto& [name, b] : job.files) expanded += static_cast<std::int64_t>(unit.blobs[b].size());
  if (expanded > kMaxFarmBundleBytes)
    return fail(
        fmt::format("{}its script and files come to {} bytes, each file counted under every name it has, "
                    "more than the farm's {} per job",
                    who, expanded, runner::format_size(kMaxFarmBundleBytes)));
  return ok();
}

// The job's limits within the worker's own ceilings, whatever its producer
// checked: the outputs are held in memory, the bundle must fit in /tmp.
Status check_ceilings(const runner::Limits& l, const std::string& who) {
  if (l.stdout_limit_bytes > kMaxFarmOutputBytes || l.stderr_limit_bytes > kMaxFarmOutputBytes)
    return fail(fmt::format("{}output limit {} or stderr limit {} is above the farm's {}", who,
                            runner::format_size(l.stdout_limit_bytes), runner::format_size(l.stderr_limit_bytes),
                            runner::format_size(kMaxFarmOutputBytes)));
  if (l.tmp_bytes > kMaxFarmTmpBytes)
    return fail(fmt::format("{}tmp size {} is above the farm's {}", who, runner::format_size(l.tmp_bytes),
                            runner::format_size(kMaxFarmTmpBytes)));
  return ok();
}

Status decode_limits(const json& j, const std::string& who, FarmJob& job) {
  const auto limits = j.find("limits");
  if (limits == j.end() || !limits->is_object()) return fail(who + "no limits");
  if (const auto rt = limits->find("runtime"); rt != limits->end() && !rt->is_null())
    return fail(who + "a farm job cannot choose its runtime");
  auto l = runner::limits_from_json(*limits);
  if (!l) return fail(who + l.error().message);
  if (auto s = check_ceilings(*l, who); !s) return s;
  job.limits = *l;
  return ok();
}

Expected<FarmJob> decode_job(const json& j, const FarmUnit& unit) {
  if (!j.is_object()) return fail("a job is not a JSON object");
  FarmJob job;
  const auto id = j.find("id");
  if (id == j.end() || !id->is_string() || !is_valid_farm_job_id(id->get<std::string>()))
    return fail("a job has no valid id (1-128 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
  job.id = id->get<std::string>();
  const std::string who = "job '" + job.id + "': ";
  static const std::set<std::string> kKeys = {"id", "script", "stdin", "files", "limits", "function"};
  for (const auto& [k, v] : j.items())
    if (!kKeys.contains(k)) return fail(fmt::format("{}unknown key '{}'", who, farm_excerpt(k)));
  auto script = blob_index(j.value("script", json()), unit.blobs.size(), who + "script");
  if (!script) return script.error();
  job.script = *script;
  if (static_cast<std::int64_t>(unit.blobs[job.script].size()) > runner::kMaxScriptBytes)
    return fail(who + "the script is larger than 16m");
  if (const auto in = j.find("stdin"); in != j.end() && !in->is_null()) {
    auto b = blob_index(*in, unit.blobs.size(), who + "stdin");
    if (!b) return b.error();
    job.stdin_blob = *b;
  }
  if (const auto f = j.find("function"); f != j.end()) {
    // A function run: its module, and whether it only collects the tests.
    if (!f->is_object() || f->size() != 2 || !f->contains("module") || !f->at("module").is_string() ||
        !protocol::is_module_name(f->at("module").get<std::string>()) || !f->contains("collect") ||
        !f->at("collect").is_boolean() || job.stdin_blob)
      return fail(who + R"(bad function run (want {"module": NAME, "collect": BOOL} and no stdin))");
    job.module = f->at("module").get<std::string>();
    job.collect = f->at("collect").get<bool>();
  }
  if (auto s = decode_files(j, unit, who, job); !s) return s.error();
  if (auto s = check_bundle(unit, who, job); !s) return s.error();
  if (auto s = decode_limits(j, who, job); !s) return s.error();
  return job;
}

// The blobs b0..bN-1, contiguous, and nothing else beside v and meta.
Status collect_blobs(const FieldViews& fields, FarmUnit& unit) {
  std::map<std::size_t, std::string_view> blobs;
  std::int64_t total = 0;
  for (const auto& [k, v] : fields) {
    if (k == "v" || k == "meta") continue;
    std::size_t i = 0;
    const bool numbered = k.size() >= 2 && k.size() <= 6 && k[0] == 'b' &&
                          std::all_of(k.begin() + 1, k.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numbered) i = std::stoul(std::string(k.substr(1)));
    if (!numbered || blob_field(i) != k || !blobs.emplace(i, v).second)
      return fail("unknown or repeated field '" + farm_excerpt(k, 32) + "'");
    if (static_cast<std::int64_t>(v.size()) > kMaxFarmFileBytes)
      return fail("field " + std::string(k) + " is larger than the farm's " + runner::format_size(kMaxFarmFileBytes) +
                  " per file");
    total += static_cast<std::int64_t>(v.size());
  }
  if (total > kMaxFarmUnitBytes)
    return fail("the files come to more than the farm's " + runner::format_size(kMaxFarmUnitBytes) + " per message");
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    if (!blobs.contains(i)) return fail("blob b" + std::to_string(i) + " is missing");
    unit.blobs.push_back(blobs[i]);
  }
  return ok();
}

Expected<json> parse_meta(const FieldViews& fields) {
  const auto meta = field(fields, "meta");
  if (!meta) return fail("no meta field");
  if (meta->size() > kMaxFarmMetaBytes) return fail("the meta field is larger than 4m");
  json j = json::parse(*meta, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("the meta field is not a JSON object");
  return j;
}

}  // namespace

Status farm_accepts(const runner::Job& job) {
  namespace fs = std::filesystem;
  if (job.interactor)
    return fail(
        "interactive problems do not run on the farm (--queue) yet: a run and its validator run side by "
        "side on one machine; grade without --queue");
  if (!job.image.empty())
    return fail(
        "a compiled output validator is built and run in the compiler image of the engine here, not on the farm's "
        "workers: grade without --queue");
  if (!job.limits.runtime.empty())
    return fail("with --queue the workers choose the runtime (pyjudge worker --runtime)");
  if (job.limits.stdout_limit_bytes > kMaxFarmOutputBytes || job.limits.stderr_limit_bytes > kMaxFarmOutputBytes)
    return fail("with --queue the output and stderr limits are at most " + runner::format_size(kMaxFarmOutputBytes) +
                " (a result travels in one Redis argument)");
  if (job.limits.tmp_bytes > kMaxFarmTmpBytes)
    return fail("with --queue the tmp size is at most " + runner::format_size(kMaxFarmTmpBytes) +
                " (the workers' ceiling)");
  std::error_code ec;
  auto too_big = [&](const fs::path& p, std::int64_t max, const std::string& what) -> Status {
    const auto size = fs::file_size(p, ec);
    if (!ec && static_cast<std::int64_t>(size) > max)
      return fail(what + " '" + p.string() + "' is larger than the farm's " + runner::format_size(max) + " per file");
    return ok();
  };
  if (job.stdin_file)
    if (auto s = too_big(*job.stdin_file, kMaxFarmFileBytes, "stdin file"); !s) return s;
  for (const auto& [name, path] : job.files)
    if (auto s = too_big(path, kMaxFarmFileBytes, "file"); !s) return s;
  return ok();
}

bool is_valid_farm_job_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::isalnum(static_cast<unsigned char>(id.front())) != 0 &&
         safe_name_chars(id);
}

bool is_valid_farm_file_name(std::string_view name) {
  return !name.empty() && name.size() <= 255 && name.front() != '.' && safe_name_chars(name);
}

bool is_valid_stream_id(std::string_view id) {
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 20 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto dash = id.find('-');
  return dash != std::string_view::npos && digits(id.substr(0, dash)) && digits(id.substr(dash + 1));
}

std::string farm_excerpt(std::string_view text, std::size_t max) {
  std::size_t end = std::min(text.size(), max);
  // Not inside a UTF-8 sequence: back off its continuation bytes.
  if (end < text.size())
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  std::string out(text.substr(0, end));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';  // no forged log lines
  if (end < text.size()) out += "\u2026";
  return out;
}

bool is_valid_batch_id(std::string_view id) {
  return id.size() >= 16 && id.size() <= 32 &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Expected<Fields> encode_unit(const std::string& batch, const std::string& unit, bool shared,
                             const std::vector<const runner::Job*>& jobs) {
  BlobTable blobs;
  json list = json::array();
  for (const runner::Job* job : jobs) {
    auto j = encode_job(*job, blobs);
    if (!j) return j.error();
    list.push_back(std::move(*j));
  }
  const json meta = {{"batch", batch}, {"unit", unit}, {"shared", shared}, {"jobs", std::move(list)}};
  Fields fields = {{"v", kFarmVersion}, {"meta", meta.dump(-1, ' ', false, json::error_handler_t::replace)}};
  if (fields.back().second.size() > kMaxFarmMetaBytes) return fail("unit " + unit + ": too many jobs for one message");
  for (std::size_t i = 0; i < blobs.blobs().size(); ++i)
    fields.emplace_back(blob_field(i), std::move(blobs.blobs()[i]));
  // What a worker would refuse is refused here, where it can be said once.
  FieldViews views;
  for (const auto& [k, v] : fields) views.emplace_back(k, v);
  if (auto back = decode_unit(views); !back) return fail("a worker would refuse it: " + back.error().message);
  return fields;
}

Expected<FarmUnit> decode_unit(const FieldViews& fields) {
  const auto v = field(fields, "v");
  if (!v) return fail("no version field v");
  if (*v != kFarmVersion)
    return fail("version '" + farm_excerpt(*v, 16) + "' is not this worker's (" + kFarmVersion + ")");
  auto meta = parse_meta(fields);
  if (!meta) return meta.error();
  FarmUnit unit;
  if (auto s = collect_blobs(fields, unit); !s) return s.error();
  for (const auto& [k, _] : meta->items())
    if (k != "batch" && k != "unit" && k != "shared" && k != "jobs")
      return fail("unknown meta key '" + farm_excerpt(k) + "'");
  const json& m = *meta;
  if (!m.contains("batch") || !m["batch"].is_string() || !is_valid_batch_id(m["batch"].get<std::string>()))
    return fail("no valid batch id");
  if (!m.contains("unit") || !m["unit"].is_string() || !is_valid_unit_key(m["unit"].get<std::string>()))
    return fail("no valid unit key");
  if (!m.contains("shared") || !m["shared"].is_boolean()) return fail("no shared flag");
  unit.batch = m["batch"].get<std::string>();
  unit.unit = m["unit"].get<std::string>();
  unit.shared = m["shared"].get<bool>();
  if (!m.contains("jobs") || !m["jobs"].is_array() || m["jobs"].empty()) return fail("no jobs");
  if (m["jobs"].size() > kMaxFarmUnitJobs) return fail("more than 10000 jobs in one unit");
  std::set<std::string> ids;
  for (const auto& j : m["jobs"]) {
    auto job = decode_job(j, unit);
    if (!job) return job.error();
    if (!ids.insert(job->id).second) return fail("job id '" + job->id + "' is repeated");
    unit.jobs.push_back(std::move(*job));
  }
  return unit;
}

std::optional<UnitIdentity> identify_unit(const FieldViews& fields) {
  auto meta = parse_meta(fields);
  if (!meta) return std::nullopt;
  const json& m = *meta;
  if (!m.contains("batch") || !m["batch"].is_string() || !is_valid_batch_id(m["batch"].get<std::string>()))
    return std::nullopt;
  if (!m.contains("unit") || !m["unit"].is_string() || !is_valid_unit_key(m["unit"].get<std::string>()))
    return std::nullopt;
  UnitIdentity id{m["batch"].get<std::string>(), m["unit"].get<std::string>(), {}};
  if (m.contains("jobs") && m["jobs"].is_array() && m["jobs"].size() <= kMaxFarmUnitJobs)
    for (const auto& j : m["jobs"])
      if (j.is_object() && j.contains("id") && j["id"].is_string() && is_valid_farm_job_id(j["id"].get<std::string>()))
        id.job_ids.push_back(j["id"].get<std::string>());
  return id;
}

Fields encode_result(const std::string& unit, const runner::JobResult& result, std::string out, std::string err) {
  const json meta = {{"unit", unit}, {"result", to_json(result)}};
  return {{"meta", meta.dump(-1, ' ', false, json::error_handler_t::replace)},
          {"stdout", std::move(out)},
          {"stderr", std::move(err)}};
}

Expected<FarmResult> decode_result(const FieldViews& fields) {
  auto meta = parse_meta(fields);
  if (!meta) return meta.error();
  const auto out = field(fields, "stdout");
  const auto err = field(fields, "stderr");
  if (!out || !err) return fail("no stdout or stderr field");
  const json& m = *meta;
  if (!m.contains("unit") || !m["unit"].is_string() || !m.contains("result")) return fail("no unit or result");
  auto r = runner::result_from_json(m["result"]);
  if (!r) return r.error();
  if (static_cast<std::int64_t>(out->size()) > r->limits.stdout_limit_bytes ||
      static_cast<std::int64_t>(err->size()) > r->limits.stderr_limit_bytes)
    return fail("job '" + r->id + "': the outputs exceed the job's output limits");
  return FarmResult{m["unit"].get<std::string>(), std::move(*r), *out, *err};
}

}  // namespace pyjudge::judge
