#include "runner/job/job_spec.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "runner/job/job_keys.h"
#include "runner/job/job_limits.h"

namespace pyjudge::runner {

namespace {

const char* const kGroupRule = "letters, digits, '.', '_', '-'; at most 64";

Expected<std::string> text_of(const std::string& key, const nlohmann::json& value) {
  if (!value.is_string()) return fail("\"" + key + "\" must be a string");
  return value.get<std::string>();
}

Status apply_file(Job& job, const std::string& key, const nlohmann::json& value, const JobSpecRules& rules) {
  if (key == "stdin" && (value.is_null() || (value.is_string() && value.get<std::string>().empty()))) {
    job.stdin_file.reset();
    return ok();
  }
  auto text = text_of(key, value);
  if (!text) return text.error();
  if (text->empty()) return fail("\"" + key + "\" is empty");
  auto path = rules.resolve ? rules.resolve(*text) : Expected<std::filesystem::path>(std::filesystem::path(*text));
  if (!path) return fail("\"" + key + "\": " + path.error().message);
  (key == "script" ? job.script : job.stdin_file.emplace()) = *path;
  return ok();
}

Status apply_id(Job& job, const nlohmann::json& value, const JobSpecRules& rules) {
  auto text = text_of("id", value);
  if (!text) return text.error();
  if (rules.fixed_id && *text != *rules.fixed_id)
    return fail(R"("id" must be ")" + *rules.fixed_id + R"(" (the file's name))");
  job.id = *text;
  return ok();
}

Status apply_group(Job& job, const nlohmann::json& value) {
  auto text = text_of("group", value);
  if (!text) return text.error();
  if (!text->empty() && !is_valid_id(*text)) return fail("bad group '" + *text + "' (" + kGroupRule + ")");
  job.group = *text;
  return ok();
}

}  // namespace

Expected<nlohmann::json> read_json_object(const std::filesystem::path& path, const std::string& shown) {
  std::ifstream in(path);
  if (!in) return fail(shown + ": missing or unreadable");
  try {
    auto j = nlohmann::json::parse(in);
    if (!j.is_object()) return fail(shown + ": must be a JSON object");
    return j;
  } catch (const nlohmann::json::exception& e) {
    return fail(shown + ": bad JSON: " + e.what());
  }
}

bool is_limit_key(const std::string& key) {
  const auto k = find_job_key(key);
  return k && k->role != KeyRole::Job;
}

Status apply_job_field(Job& job, const std::string& key, const nlohmann::json& value, const JobSpecRules& rules) {
  if (key == "runtime" && !rules.names_runtime)
    return fail(R"("runtime" is the operator's choice (--runtime), not a job's)");
  if (is_limit_key(key)) return set_limit_json(job.limits, key, value);
  if (key == "id" && (rules.needs_id || rules.fixed_id)) return apply_id(job, value, rules);
  if ((key == "script" || key == "stdin") && rules.names_files) return apply_file(job, key, value, rules);
  if (key == "group" && rules.names_group) return apply_group(job, value);
  return fail("unknown key \"" + key + "\"");
}

Status apply_limit_fields(Limits& limits, const nlohmann::json& object) {
  for (const auto& [key, value] : object.items())
    if (is_limit_key(key))
      if (auto s = set_limit_json(limits, key, value); !s) return fail("field '" + key + "': " + s.error().message);
  return validate(limits);
}

Status apply_job_spec(Job& job, const nlohmann::json& spec, const JobSpecRules& rules) {
  if (!spec.is_object()) return fail("a job spec must be a JSON object");
  for (const auto& [key, value] : spec.items())
    if (auto s = apply_job_field(job, key, value, rules); !s) return s;
  if (rules.needs_id && job.id.empty()) return fail("missing \"id\"");
  if (rules.names_files && job.script.empty()) return fail("\"script\" is required");
  return validate(job);
}

}  // namespace pyjudge::runner
