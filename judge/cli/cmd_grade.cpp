// pyjudge grade: a problem's tests against submissions; reports for people
// (a table), for programs (report.json), for CI (JUnit) and gradebooks (CSV).
#include <unistd.h>

#include <iostream>
#include <map>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/cli/commands.h"
#include "judge/cli/errors.h"
#include "judge/cli/executor_setup.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "judge/cli/output_dir.h"
#include "judge/cli/progress.h"
#include "judge/cli/version.h"
#include "judge/formats/function_problem.h"
#include "judge/grade.h"
#include "judge/reports/gradescope.h"
#include "judge/reports/report.h"
#include "judge/reports/report_files.h"
#include "runner/job/files.h"
#include "runner/job/job.h"
#include "runner/job/result.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

namespace {

// Every report into OUT; the chosen one on stdout and into --report.
void write_reports(const GradeReport& report, const std::filesystem::path& out, const std::string& format,
                   const std::optional<std::string>& report_file) {
  std::map<std::string, std::string> files;
  for (auto& [name, text] : grade_report_files(report, out, {kVersion, runner::iso8601_now()})) {
    if (auto s = runner::write_file_atomic(out / name, text); !s) spdlog::error("{}", s.error().message);
    files[name] = std::move(text);
  }
  std::string chosen;
  if (format == "gradescope") {
    chosen = report_gradescope(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (auto s = runner::write_file_atomic(out / "results.json", chosen); !s) spdlog::error("{}", s.error().message);
  } else if (format == "text") {
    chosen = report_table(report, ::isatty(1) != 0);
  } else {
    static const std::map<std::string, std::string> kFile = {
        {"json", "report.json"}, {"junit", "junit.xml"}, {"csv", "grades.csv"}, {"html", "report.html"}};
    chosen = files.at(kFile.at(format));
  }
  std::cout << chosen << std::flush;
  if (report_file) {
    const std::string text = format == "text" ? report_table(report, false) : chosen;
    if (auto s = runner::write_file_atomic(*report_file, text); !s) spdlog::error("{}", s.error().message);
  }
}

// "Could not grade" outranks "graded, not accepted": it needs the staff.
int exit_code_of(const GradeReport& report) {
  if (report.signal != 0) return exit_for_signal(report.signal);
  if (!report.error.empty()) return kExitUnavailable;
  int code = kExitOk;
  for (const auto& g : report.submissions) {
    if (!g.graded) return kExitNotGraded;
    if (!g.full_score()) code = kExitNotAccepted;
  }
  return code;
}

}  // namespace

void grade_options(po::options_description& d, po::positional_options_description& pos) {
  // clang-format off
  d.add_options()
    ("problem", po::value<std::string>()->required(), "the problem folder (positional)")
    ("submission", po::value<std::vector<std::string>>()->required(), ".py files or folders of them (positional)")
    ("out", po::value<std::string>()->default_value("results"), "folder for SUBMISSION/TEST/ results and the reports")
    ("format", po::value<std::string>()->default_value("text"), "what to print on stdout: text, json, junit, csv, html, or gradescope (Gradescope's results.json, also written to OUT)")
    ("report", po::value<std::string>(), "also write the --format report to this file")
    ("resume", "keep the tests whose OUT/SUBMISSION/TEST/result.json is complete (IE results run again): finishes an "
               "interrupted grading, and with --queue collects what the workers recorded for a lost one");
  // clang-format on
  add_grade_options(d);
  pos.add("problem", 1).add("submission", -1);
}

int cmd_grade(const po::variables_map& vm) {
  const std::string format = vm["format"].as<std::string>();
  static const std::set<std::string> kFormats = {"text", "json", "junit", "csv", "html", "gradescope"};
  if (!kFormats.contains(format))
    throw UsageError("--format must be text, json, junit, csv, html or gradescope, not '" + format + "'");
  GradeOptions opt;
  opt.isolation = isolation_from(vm);
  opt.resume = vm.count("resume") > 0;
  const Problem problem = load_problem_from(vm, vm["problem"].as<std::string>());
  const auto args = vm["submission"].as<std::vector<std::string>>();
  auto subs =
      problem.functions ? collect_function_submissions(args, problem.functions->module) : collect_submissions(args);
  if (!subs) throw UsageError(subs.error().message);
  require_valid(*subs, problem);
  if (problem.functions && opt.isolation == Isolation::Test)
    throw UsageError(
        "--isolation test is for stdin problems: each test of a function problem already gets a fresh "
        "process of its own");
  if (format == "gradescope" && subs->size() != 1)
    throw UsageError("--format gradescope grades one submission, not " + std::to_string(subs->size()));
  opt.out = prepare_output_dir(vm["out"].as<std::string>());

  install_interrupt_handlers();
  const auto executor = open_executor(vm, runner::Session::current());
  require_accepted(*executor, problem);
  opt.compiler = compiler_for(vm, problem);
  spdlog::debug("grade: problem {} ({}, {} tests, checker {}), {} submissions, concurrency {}, isolation {}",
                problem.name, to_string(problem.format), problem.tests.size(), to_string(problem.checker.kind),
                subs->size(), executor->options().concurrency,
                opt.isolation == Isolation::Test ? "test" : "submission");
  GradeReport report;
  {
    ProgressLine progress(::isatty(2) && !pool_options_from(vm).quiet);
    executor->report_to(&progress);
    report = grade(problem, *subs, opt, *executor);
    executor->report_to(nullptr);
  }
  if (!report.problem_error.empty()) throw UsageError(report.problem_error);
  if (!report.error.empty())
    std::cerr << "pyjudge: " << report.error << "; grade again with --resume to collect what the workers recorded\n";

  std::optional<std::string> report_file;
  if (vm.count("report") != 0) report_file = vm["report"].as<std::string>();
  write_reports(report, opt.out, format, report_file);
  return exit_code_of(report);
}

}  // namespace pyjudge::cli
