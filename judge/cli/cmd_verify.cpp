// pyjudge verify: every sample submission of each problem graded and held
// against what it must get; exit 0 only when all of them get it.
#include <unistd.h>

#include <iostream>
#include <set>

#include <spdlog/spdlog.h>

#include "judge/cli/commands.h"
#include "judge/cli/errors.h"
#include "judge/cli/executor_setup.h"
#include "judge/cli/logging.h"
#include "judge/cli/output_dir.h"
#include "judge/cli/progress.h"
#include "judge/reports/report.h"
#include "judge/verify.h"
#include "runner/job/files.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

namespace {

struct Loaded {
  Problem problem;
  std::vector<SampleSubmission> samples;
  std::vector<SkippedSubmission> skipped;
};

// Every problem and its samples, before anything runs: bad input is found
// first.
std::vector<Loaded> load_all(const std::vector<std::string>& dirs, const po::variables_map& vm) {
  std::vector<Loaded> out;
  for (const auto& d : dirs) {
    Problem p = load_problem_from(vm, d);
    auto samples = sample_submissions(p);
    if (!samples) throw UsageError(samples.error().message);
    std::vector<Submission> subs;
    for (const auto& s : *samples) subs.push_back(s.submission);
    require_valid(subs, p);
    auto skipped = skipped_submissions(p);
    out.push_back({std::move(p), std::move(*samples), std::move(skipped)});
  }
  return out;
}

std::string dump(const nlohmann::json& x) {
  return x.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// One problem verified on the pool; verify.json and report.json into its OUT.
VerifyReport verify_one(const Loaded& p, const GradeOptions& opt, Executor& executor) {
  VerifyReport r = verify(p.problem, p.samples, p.skipped, opt, executor);
  if (r.grade.signal != 0) return r;
  for (const auto& [name, text] :
       {std::pair{"verify.json", dump(verify_json(r))}, {"report.json", dump(report_json(r.grade))}})
    if (auto s = runner::write_file_atomic(opt.out / name, text); !s) spdlog::error("{}", s.error().message);
  return r;
}

}  // namespace

void verify_options(po::options_description& d, po::positional_options_description& pos) {
  // clang-format off
  d.add_options()
    ("problem", po::value<std::vector<std::string>>()->required(), "problem folders, either format (positional)")
    ("out", po::value<std::string>()->default_value("results"), "folder for results, verify.json and report.json (under OUT/PROBLEM/ when there are several problems)")
    ("format", po::value<std::string>()->default_value("text"), "what to print on stdout: text or json");
  // clang-format on
  add_grade_options(d);
  pos.add("problem", -1);
}

int cmd_verify(const po::variables_map& vm) {
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("--format must be text or json, not '" + format + "'");

  GradeOptions opt;
  opt.isolation = isolation_from(vm);
  const auto problems = load_all(vm["problem"].as<std::vector<std::string>>(), vm);
  const auto out = prepare_output_dir(vm["out"].as<std::string>());

  install_interrupt_handlers();
  const auto executor = open_executor(vm, runner::Session::current());
  // Every problem's tests fit the executor, before the first one is graded.
  for (const auto& p : problems) require_accepted(*executor, p.problem);
  const bool draw = ::isatty(2) && !pool_options_from(vm).quiet;
  std::set<std::string> used;
  nlohmann::json all = nlohmann::json::array();
  bool met = true;
  bool graded = true;
  for (const auto& p : problems) {
    GradeOptions one = opt;
    one.compiler = compiler_for(vm, p.problem);
    std::string folder = p.problem.name;  // two problems may share a folder name
    for (int n = 2; used.contains(folder); ++n) folder = p.problem.name + "-" + std::to_string(n);
    used.insert(folder);
    one.out = problems.size() == 1 ? out : out / folder;
    VerifyReport r;
    {
      ProgressLine progress(draw);  // cleared before the problem's table
      executor->report_to(&progress);
      r = verify_one(p, one, *executor);
      executor->report_to(nullptr);
    }
    if (r.grade.signal != 0) return exit_for_signal(r.grade.signal);
    if (!r.grade.problem_error.empty()) throw UsageError(r.grade.problem_error);
    met = met && r.all_met();
    graded = graded && r.all_graded();
    all.push_back(verify_json(r));
    if (format == "text")
      std::cout << verify_table(r, ::isatty(1) != 0) << (problems.size() > 1 ? "\n" : "") << std::flush;
  }
  if (format == "json") std::cout << dump(problems.size() == 1 ? all.front() : all);
  if (!graded) return kExitNotGraded;
  return met ? kExitOk : kExitNotAccepted;
}

}  // namespace pyjudge::cli
