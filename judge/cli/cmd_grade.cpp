// pyjudge grade: a problem's tests against submissions; reports for people
// (a table), for programs (report.json), for CI (JUnit) and gradebooks (CSV).
#include <unistd.h>

#include <iostream>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "engine_setup.h"
#include "errors.h"
#include "files.h"
#include "grade.h"
#include "interrupt.h"
#include "job.h"
#include "logging.h"
#include "options.h"
#include "output_dir.h"
#include "progress.h"
#include "report.h"

namespace pyjudge::cli {

int cmd_grade(const Args& args) {
  po::options_description d("grade options");
  // clang-format off
  d.add_options()
    ("problem", po::value<std::string>()->required(), "the problem folder (positional)")
    ("submission", po::value<std::vector<std::string>>()->required(), ".py files or folders of them (positional)")
    ("out", po::value<std::string>()->default_value("results"), "folder for SUBMISSION/TEST/ results and the reports")
    ("format", po::value<std::string>()->default_value("text"), "what to print on stdout: text, json, junit or csv")
    ("report", po::value<std::string>(), "also write the --format report to this file");
  // clang-format on
  add_pool_options(d);
  add_isolation_option(d);
  add_engine_options(d);
  add_log_options(d);
  po::positional_options_description pos;
  pos.add("problem", 1).add("submission", -1);
  po::variables_map vm;
  if (!parse_or_help("usage: pyjudge grade PROBLEM SUBMISSION... [--jobs N] [--isolation submission|test] [--out DIR] "
                     "[--format text|json|junit|csv] [--report FILE]",
                     d, args, vm, &pos))
    return kExitOk;
  setup_logging(vm);

  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "junit" && format != "csv")
    throw UsageError("--format must be text, json, junit or csv, not '" + format + "'");
  GradeOptions opt;
  opt.batch.image = vm["image"].as<std::string>();
  const PoolOptions pool = pool_options_from(vm);
  opt.batch.concurrency = pool.concurrency;
  opt.batch.retries = pool.retries;
  opt.isolation = isolation_from(vm);

  auto problem = load_problem(vm["problem"].as<std::string>(), Limits{});
  if (!problem) throw UsageError(problem.error().message);
  auto subs = collect_submissions(vm["submission"].as<std::vector<std::string>>());
  if (!subs) throw UsageError(subs.error().message);
  for (const auto& s : *subs) {  // e.g. a submission too large for /tmp: bad input, not IE
    Job j;
    j.id = s.name;
    j.script = s.path;
    j.limits = problem->limits;
    if (auto ok = validate(j); !ok) throw UsageError(ok.error().message);
  }
  opt.batch.out = prepare_output_dir(vm["out"].as<std::string>());
  spdlog::debug("grade: problem {} ({} tests, checker {}), {} submissions, concurrency {}, isolation {}", problem->name,
                problem->tests.size(), to_string(problem->checker.kind), subs->size(), opt.batch.concurrency,
                opt.isolation == Isolation::Test ? "test" : "submission");

  install_interrupt_handlers();
  const Session session = Session::current();
  {
    Engine engine = connect_engine();
    require_fit(problem->limits, require_capacity(engine), (problem->dir / "problem.json").string());
    require_image(engine, opt.batch.image);
    reap_orphans(engine, session);
  }

  Progress progress(subs->size() * problem->tests.size(), ::isatty(2) && !pool.quiet);
  const GradeReport report = grade(*problem, *subs, opt, [&](std::vector<Job> jobs) {
    return run_batch(
        std::move(jobs), opt.batch, session, [&](const BatchEntry& e) { progress.job_ended(e.result.verdict); },
        [&] { progress.draw(); });
  });
  progress.finish();

  const auto json_text = report_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const auto junit = report_junit(report);
  const auto csv = report_csv(report);
  for (const auto& [name, text] : {std::pair{"report.json", &json_text}, {"junit.xml", &junit}, {"grades.csv", &csv}})
    if (auto s = write_file_atomic(opt.batch.out / name, *text); !s) spdlog::error("{}", s.error().message);
  const std::string chosen = format == "json"    ? json_text
                             : format == "junit" ? junit
                             : format == "csv"   ? csv
                                                 : report_table(report, ::isatty(1));
  std::cout << chosen << std::flush;
  if (vm.count("report")) {
    const std::string text = format == "text" ? report_table(report, false) : chosen;
    if (auto s = write_file_atomic(vm["report"].as<std::string>(), text); !s) spdlog::error("{}", s.error().message);
  }
  if (report.signal) return exit_for_signal(report.signal);
  // "Could not grade" outranks "graded, not accepted": it needs the staff.
  int code = kExitOk;
  for (const auto& g : report.submissions) {
    if (!g.graded) return kExitNotGraded;
    if (g.verdict != "AC") code = kExitNotAccepted;
  }
  return code;
}

}  // namespace pyjudge::cli
