// Grading through the Executor's seam: a backend in place of the pool and
// the farm writes each run's stdout, and grading's scoring, verdict folding
// and progress reports are checked without an engine. Also batch's units.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>

#include "judge/batch.h"
#include "judge/executor.h"
#include "judge/formats/problem.h"
#include "judge/grade.h"
#include "runner/job/files.h"
#include "tests/support/temp_dir.h"

using namespace pyjudge;
using namespace pyjudge::judge;
namespace fs = std::filesystem;

namespace {

// Counts what the executor reports.
class CountingProgress : public Progress {
 public:
  void planned(std::size_t jobs) override { planned_ += jobs; }
  void job_ended(const BatchEntry& /*entry*/) override { ++ended_; }
  void tick() override {}
  std::size_t planned_ = 0;
  std::atomic<int> ended_{0};
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A run of `job` that printed `out`, as the pool would leave it.
runner::JobResult ran(const runner::Job& job, const fs::path& out_dir, const std::string& out,
                      runner::Verdict v = runner::Verdict::OK) {
  const fs::path dir = runner::result_dir_of(out_dir, job);
  fs::create_directories(dir);
  std::ofstream(dir / "stdout") << out;
  runner::JobResult r;
  r.id = job.id;
  r.verdict = v;
  r.exit_code = v == runner::Verdict::OK ? 0 : 1;
  r.limits = job.limits;
  r.wall_time = 0.1;
  r.cpu_time = 0.05;
  return r;
}

}  // namespace

TEST_SUITE("judge/executor") {
  TEST_CASE("grade folds verdicts and scores from the executor's outcomes, and progress hears every job") {
    auto problem = load_any_problem(fs::path(PYJUDGE_PROBLEMS) / "sum", runner::Limits{});
    REQUIRE(problem);
    pyjudge::testing::TempDir tmp;
    const auto subs = collect_submissions({fs::path(PYJUDGE_PROBLEMS) / "sum" / "submissions" / "ac.py",
                                           fs::path(PYJUDGE_PROBLEMS) / "sum" / "submissions" / "re.py",
                                           fs::path(PYJUDGE_PROBLEMS) / "sum" / "submissions" / "tle.py"});
    REQUIRE(subs);
    int calls = 0;
    Executor executor({}, [&](std::vector<runner::Job> jobs, const RunRequest& request) {
      ++calls;
      CHECK(request.label == "runs");
      BatchOutcome o;
      for (auto& j : jobs) {
        // ac prints the expected output; re crashes; tle prints it but then
        // runs out of time on the second test.
        const fs::path expected = fs::path(j.stdin_file->string()).replace_extension(".out");
        runner::JobResult r;
        if (j.group == "ac" || (j.group == "tle" && j.id.find("01") != std::string::npos))
          r = ran(j, request.out, slurp(expected));
        else if (j.group == "re")
          r = ran(j, request.out, "", runner::Verdict::RE);
        else
          r = ran(j, request.out, "", runner::Verdict::TLE);
        o.entries.push_back(BatchEntry{std::move(j), EntryState::Done, r});
      }
      return o;
    });
    CountingProgress progress;
    executor.report_to(&progress);
    GradeOptions opt;
    opt.out = tmp.path();
    const GradeReport report = grade(*problem, *subs, opt, executor);

    CHECK(calls == 1);  // the built-in checker needs no second batch
    const std::size_t runs = subs->size() * problem->tests.size();
    CHECK(progress.planned_ == runs);
    CHECK(progress.ended_.load() == static_cast<int>(runs));
    REQUIRE(report.submissions.size() == 3);
    const auto& ac = report.submissions[0];
    CHECK(ac.verdict == GradeVerdict::AC);
    CHECK(ac.score == ac.max_score);
    CHECK(ac.graded);
    const auto& re = report.submissions[1];
    CHECK(re.verdict == GradeVerdict::RE);
    CHECK(re.score == 0);
    const auto& tle = report.submissions[2];
    CHECK(tle.verdict == GradeVerdict::TLE);  // the first non-AC in test order
    CHECK(tle.tests.at(0).verdict == GradeVerdict::AC);
    CHECK(tle.score > 0);
    CHECK(tle.score < tle.max_score);
  }

  TEST_CASE("an IE from the executor makes the submission not graded") {
    auto problem = load_any_problem(fs::path(PYJUDGE_PROBLEMS) / "sum", runner::Limits{});
    REQUIRE(problem);
    pyjudge::testing::TempDir tmp;
    const auto subs = collect_submissions({fs::path(PYJUDGE_PROBLEMS) / "sum" / "submissions" / "ac.py"});
    REQUIRE(subs);
    Executor executor({}, [&](std::vector<runner::Job> jobs, const RunRequest& request) {
      BatchOutcome o;
      for (auto& j : jobs) {
        auto r = ran(j, request.out, "", runner::Verdict::IE);
        o.entries.push_back(BatchEntry{std::move(j), EntryState::Done, r});
      }
      return o;
    });
    GradeOptions opt;
    opt.out = tmp.path();
    const GradeReport report = grade(*problem, *subs, opt, executor);
    REQUIRE(report.submissions.size() == 1);
    CHECK_FALSE(report.submissions[0].graded);
  }

  TEST_CASE("units_of: a lone job is a unit, a group's jobs are one unit in file order") {
    std::vector<BatchEntry> entries(5);
    entries[0].job.group = "a";
    entries[2].job.group = "a";
    entries[3].job.group = "b";
    const auto units = units_of(entries);
    REQUIRE(units.size() == 4);
    CHECK(units[0] == std::vector<std::size_t>{0, 2});
    CHECK(units[1] == std::vector<std::size_t>{1});
    CHECK(units[2] == std::vector<std::size_t>{3});
    CHECK(units[3] == std::vector<std::size_t>{4});
  }

  TEST_CASE("the farm executor refuses what the wire format cannot carry; a local one what the engine cannot honour") {
    ExecutorOptions farm_opt;
    farm_opt.farm = FarmTarget{};
    const Executor farm(farm_opt);
    runner::Job j;
    j.limits.runtime = "runsc";
    CHECK_FALSE(farm.accepts(j));
    j.limits.runtime.clear();
    CHECK(farm.accepts(j));

    const Executor local({}, runner::Endpoint{}, runner::Session{}, runner::EngineCapacity{2, 1LL << 30, {}});
    j.limits.cpus = 4;
    const auto s = local.accepts(j);
    REQUIRE_FALSE(s);
    CHECK(s.error().message.find("cpus") != std::string::npos);
    j.limits.cpus = 1;
    CHECK(local.accepts(j));
  }
}
