#include "judge/validator/validator_run.h"

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "judge/formats/validator_program.h"
#include "judge/validator/driver.h"
#include "runner/job/files.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// The first line of a feedback file, trimmed, at most 200 bytes.
std::string first_line(const nlohmann::json& v) {
  if (!v.is_string()) return "";
  std::string s = v.get<std::string>();
  s = s.substr(0, s.find('\n'));
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s.size() > 200 ? s.substr(0, 200) + "..." : s;
}

}  // namespace

Expected<ValidatorFiles> ValidatorFiles::write(const fs::path& out, const ValidatorProgram& program,
                                               const std::optional<BuiltProgram>& built, const Use& use) {
  ValidatorFiles v;
  if (program.compiled && !built) return fail(program.root.string() + ": the compiled validator was not built");
  if (built) {
    v.program_ = {{kBuiltValidatorName, built->binary}};
    v.image_ = built->image;
  } else {
    for (const auto& f : program.files) v.program_.emplace_back(f.filename().string(), f);
  }
  const fs::path dir = out / ".pyjudge";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(dir.string() + ": " + ec.message());
  v.driver_ = dir / "validator_driver.py";
  if (auto s = runner::write_file_atomic(v.driver_, kValidatorDriver); !s) return s.error();
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : v.program_) files.push_back(f.first);
  for (const auto& args : use.arg_lists) {
    if (v.specs_.contains(args)) continue;
    const fs::path spec = dir / fmt::format("{}-{}.json", use.name, v.specs_.size() + 1);
    nlohmann::json j = {{"files", files},
                        {"entry", built ? std::string(kBuiltValidatorName) : program.entry},
                        {"compiled", built.has_value()},
                        {"args", args},
                        {"interactive", use.mode == Mode::Interactive}};
    if (use.mode == Mode::Input) j["mode"] = "input";
    if (auto s =
            runner::write_file_atomic(spec, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        !s)
      return s.error();
    v.specs_[args] = spec;
  }
  return v;
}

Expected<ValidatorFiles> ValidatorFiles::write(const fs::path& out, const Problem& problem,
                                               const std::optional<BuiltProgram>& built) {
  Use use{problem.interactive ? Mode::Interactive : Mode::Output, "validator", {}};
  for (const auto& t : problem.tests) use.arg_lists.push_back(t.validator_args);
  return write(out, problem.checker.validator, built, use);
}

runner::Job ValidatorFiles::input_job(const TestCase& test, const std::vector<std::string>& args, std::string id,
                                      fs::path result_dir) const {
  runner::Job j;
  j.id = std::move(id);
  j.script = driver_;
  j.stdin_file = test.input;
  j.result_dir = std::move(result_dir);
  j.files = program_;
  j.files.emplace_back(kValidatorSpecName, specs_.at(args));
  j.image = image_;
  return j;
}

runner::Job ValidatorFiles::check_job(const TestCase& test, const runner::Job& run, const fs::path& run_stdout) const {
  runner::Job c;
  c.id = run.id + ".check";
  c.script = driver_;
  c.stdin_file = run_stdout;
  c.result_dir = run.result_dir / "checker";
  c.files = program_;
  c.image = image_;
  c.files.emplace_back(kValidatorInputName, test.input);
  c.files.emplace_back(kValidatorAnswerName, test.output);
  c.files.emplace_back(kValidatorSpecName, specs_.at(test.validator_args));
  return c;
}

Expected<CheckResult> parse_validator_record(std::string_view stdout_text) {
  const std::string line(stdout_text.substr(0, stdout_text.find('\n')));
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("exit") || !j["exit"].is_number_integer())
    return fail("the output validator's driver printed no record (" + shown(line) + ")");
  const int code = j["exit"].get<int>();
  const std::string judge = first_line(j.value("judgemessage", nlohmann::json()));
  const auto file = [&j](const char* key) {
    return j.contains(key) && j[key].is_string() ? std::optional<std::string>(j[key].get<std::string>())
                                                 : std::optional<std::string>();
  };
  const std::string team = first_line(j.value("teammessage", nlohmann::json()));
  const auto ended = j.contains("ended_ns") && j["ended_ns"].is_number_integer()
                         ? std::optional<std::int64_t>(j["ended_ns"].get<std::int64_t>())
                         : std::nullopt;
  if (code == kValidatorAccepts) return CheckResult{true, judge, file("score"), file("score_multiplier"), team, ended};
  if (code == kValidatorRejects)
    return CheckResult{false,         judge.empty() ? "wrong answer (output validator)" : judge,
                       file("score"), file("score_multiplier"),
                       team,          ended};
  std::string why = code < 0 ? "the output validator was killed by signal " + std::to_string(-code)
                             : "the output validator exited with " + std::to_string(code) + " (42 accepts, 43 rejects)";
  if (!judge.empty()) return fail(why + ": " + judge);
  // Its last stderr line says why, more often than not (a traceback's).
  const std::string err = stderr_last_line(j);
  return fail(err.empty() ? why : why + ": " + err);
}

std::string stderr_last_line(const nlohmann::json& record) {
  const auto tail = record.value("stderr_tail", nlohmann::json());
  std::string err = tail.is_string() ? tail.get<std::string>() : "";
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r' || err.back() == ' ')) err.pop_back();
  err = err.substr(err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
  return first_line(nlohmann::json(err));
}

runner::Job ValidatorFiles::interactor_job(const TestCase& test, const runner::Job& run) const {
  runner::Job v = check_job(test, run, {});
  v.id = run.id + ".validator";
  v.stdin_file.reset();  // its input is the submission's output, relayed
  v.result_dir = run.result_dir / "validator";
  return v;
}

std::string last_record_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto nl = text.rfind('\n');
  return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

}  // namespace pyjudge::judge
