#include "judge/input_validation.h"

#include <algorithm>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "judge/validator/validator_run.h"
#include "runner/job/files.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// One validator's files and jobs (one per test).
struct ValidatorJobs {
  std::string shown;
  ValidatorFiles files;
};

}  // namespace

std::size_t InputValidation::count(InputCheck::Outcome o) const {
  return static_cast<std::size_t>(
      std::count_if(checks.begin(), checks.end(), [o](const InputCheck& c) { return c.outcome == o; }));
}

bool InputValidation::complete() const {
  return signal == 0 && error.empty() && problem_error.empty() && count(InputCheck::Outcome::Failed) == 0 &&
         count(InputCheck::Outcome::NotRun) == 0;
}

InputCheck::Outcome read_input_check(const runner::JobResult& run, std::string_view record, std::string& message) {
  if (run.verdict != runner::Verdict::OK) {
    message = fmt::format("the input validator's driver ended {}{}", to_string(run.verdict),
                          run.message.empty() ? "" : ": " + run.message);
    return InputCheck::Outcome::Failed;
  }
  const std::string line(record.substr(0, record.find('\n')));
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("exit") || !j["exit"].is_number_integer()) {
    message = "the input validator's driver printed no record";
    return InputCheck::Outcome::Failed;
  }
  const int code = j["exit"].get<int>();
  const std::string words = stderr_last_line(j);
  if (code == kValidatorAccepts) {
    message.clear();
    return InputCheck::Outcome::Valid;
  }
  if (code == kValidatorRejects) {
    message = words.empty() ? "rejected (exit 43)" : words;
    return InputCheck::Outcome::Invalid;
  }
  message = code < 0 ? fmt::format("the input validator was killed by signal {}", -code)
                     : fmt::format("the input validator exited with {} (42 accepts, 43 rejects)", code);
  if (!words.empty()) message += ": " + words;
  return InputCheck::Outcome::Failed;
}

namespace {

// Program i's files, built first when compiled; false when `v` says why
// the validation stops (a build failed, an interrupt).
bool prepare_program(const Problem& problem, std::size_t i, const GradeOptions& opt, Executor& executor,
                     InputValidation& v, std::vector<ValidatorJobs>& programs) {
  const ValidatorProgram& program = problem.input_validators[i];
  const std::string shown = program.root.lexically_relative(problem.dir).generic_string();
  v.validators.push_back(shown);
  std::optional<BuiltProgram> built;
  if (program.compiled) {
    BuildResult b = build_program(program, opt, executor);
    v.signal = b.signal;
    if (b.signal != 0) return false;
    if (!b.program) {
      (b.program_fault ? v.problem_error : v.error) =
          program.root.string() + ": the input validator is not built: " + b.message;
      return false;
    }
    built = b.program;
  }
  ValidatorFiles::Use use{ValidatorFiles::Mode::Input, fmt::format("input-validator-{}", i + 1), {}};
  for (const auto& t : problem.tests) use.arg_lists.push_back(t.input_args.for_program(program.root));
  auto files = ValidatorFiles::write(opt.out, program, built, use);
  if (!files) {
    v.error = files.error().message;
    return false;
  }
  programs.push_back({shown, std::move(*files)});
  return true;
}

}  // namespace

InputValidation validate_inputs(const Problem& problem, const GradeOptions& opt, Executor& executor) {
  InputValidation v;
  if (problem.input_validators.empty()) return v;
  std::vector<ValidatorJobs> programs;
  for (std::size_t i = 0; i < problem.input_validators.size(); ++i)
    if (!prepare_program(problem, i, opt, executor, v, programs)) return v;
  std::vector<runner::Job> jobs;
  for (std::size_t i = 0; i < programs.size(); ++i)
    for (const auto& t : problem.tests) {
      const std::string id = fmt::format("input-validator-{}", i + 1);
      auto job = programs[i].files.input_job(t, t.input_args.for_program(problem.input_validators[i].root),
                                             id + "." + t.id, fs::path(".pyjudge") / "inputs" / id / t.name);
      job.limits = checker_limits();
      // The problem setter's program over the problem's own data: one
      // container per validator serves all its tests.
      job.group = id;
      jobs.push_back(std::move(job));
      v.checks.push_back({t.name, programs[i].shown, InputCheck::Outcome::NotRun, ""});
    }
  const BatchOutcome o = run_grade_jobs(std::move(jobs), opt, executor, false, "inputs");
  v.signal = o.signal;
  v.error = o.error;
  for (std::size_t i = 0; i < o.entries.size() && i < v.checks.size(); ++i) {
    const auto& e = o.entries[i];
    if (e.state != EntryState::Done) continue;
    const auto record = runner::read_file(runner::result_dir_of(opt.out, e.job) / "stdout");
    v.checks[i].outcome = read_input_check(e.result, record ? *record : "", v.checks[i].message);
  }
  return v;
}

nlohmann::json input_validation_json(const InputValidation& v) {
  nlohmann::json invalid = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& c : v.checks) {
    const nlohmann::json one = {{"test", c.test}, {"validator", c.validator}, {"message", c.message}};
    if (c.outcome == InputCheck::Outcome::Invalid) invalid.push_back(one);
    if (c.outcome == InputCheck::Outcome::Failed || c.outcome == InputCheck::Outcome::NotRun) failed.push_back(one);
  }
  return {{"validators", v.validators},
          {"checks", v.checks.size()},
          {"valid", v.count(InputCheck::Outcome::Valid)},
          {"invalid", invalid},
          {"failed", failed}};
}

}  // namespace pyjudge::judge
