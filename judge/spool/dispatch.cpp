#include "judge/spool/dispatch.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/grade.h"
#include "judge/reports/report_files.h"
#include "runner/job/files.h"
#include "runner/job/job.h"
#include "runner/job/job_spec.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// In watch mode the first signal stops claiming and lets running jobs end;
// only a second one kills them.

int exit_rank(int code) {
  if (code == kExitNotGraded) return 4;
  return code == kExitFailed ? 3 : code == kExitTimeout ? 2 : code == kExitNotAccepted ? 1 : 0;
}

}  // namespace

// Everything a crash left: temp results go, claimed jobs are finished or
// judged again.
void Dispatcher::recover() {
  if (int n = spool_.remove_stale_temps()) spdlog::info("removed {} unfinished result folder(s)", n);
  for (const auto& id : spool_.claimed()) {
    spool_.adopt_companions(id);
    if (spool_.has_result(id)) {
      spdlog::info("{}: judged before a restart; filing its inputs", id);
      if (auto s = spool_.finish(id); !s) spdlog::error("{}: {}", id, s.error().message);
      continue;
    }
    spdlog::info("{}: claimed before a restart; judging it again", id);
    submit(id);
  }
}

void Dispatcher::submit(const std::string& id) {
  executor_.submit([this, id] { judge(id); });
}

// A settled inbox entry: claim it, reject it, or look again later.
void Dispatcher::consider(SettleQueue& queue, const SettleQueue::Due& d, Clock::time_point now) {
  const std::string& id = d.id;
  std::error_code ec;
  const bool py = fs::exists(spool_.inbox() / (id + ".py"), ec);
  const bool json = fs::exists(spool_.inbox() / (id + ".json"), ec);
  const bool in = fs::exists(spool_.inbox() / (id + ".in"), ec);
  if (!py && !json && !in) return;           // gone (claimed or taken away)
  if (fs::exists(spool_.work() / id, ec)) {  // the same ID is being judged now
    queue.retry_at(d, now + std::chrono::seconds(1));
    return;
  }
  if (spool_.has_result(id)) {
    for (const char* ext : {".py", ".json", ".in"})
      if (fs::exists(spool_.inbox() / (id + ext), ec))
        reject_file(id + ext,
                    fmt::format("{} was already judged (see results/{}); a resubmission needs a new ID", id, id));
    return;
  }
  if (!py && !json) {
    if (opt_.once || now - d.first_seen >= opt_.orphan_grace) {
      reject_file(id + ".in", id + ".in has no " + id + ".py (nor a job spec " + id + ".json)");
    } else {
      queue.retry_at(d, now + std::chrono::milliseconds(500));
    }
    return;
  }
  if (executor_.in_flight() >= executor_.options().concurrency) {  // keep the backlog in the inbox, not in memory
    queue.retry_at(d, now + std::chrono::milliseconds(50));
    return;
  }
  auto claimed = spool_.claim(id);
  if (!claimed) {
    spdlog::error("{}: cannot claim: {}", id, claimed.error().message);
    queue.retry_at(d, now + std::chrono::seconds(1));
    return;
  }
  if (*claimed) {
    spdlog::info("{}: claimed", id);
    submit(id);
  }
}

void Dispatcher::reject_file(const std::string& name, const std::string& reason) {
  if (auto s = spool_.reject_inbox_file(name, reason); !s) {
    spdlog::error("{}: cannot reject: {}", name, s.error().message);
    return;
  }
  spdlog::warn("{}: rejected: {}", name, reason);
  ++rejected_;
}

SpoolCounts Dispatcher::counts() const {
  std::lock_guard lock(mu_);
  return {judged_, rejected_.load(), worst_exit_};
}

std::string Dispatcher::status_line() const {
  std::lock_guard lock(mu_);
  std::string v;
  for (const auto& [k, n] : verdicts_) v += fmt::format("{}{} {}", v.empty() ? "" : ", ", k, n);
  return fmt::format("running {} | judged {}{} | rejected {}", executor_.in_flight(), judged_,
                     v.empty() ? "" : " (" + v + ")", rejected_.load());
}

Expected<runner::Job> Dispatcher::job_of(const std::string& id) const {
  const fs::path dir = spool_.work() / id;
  std::error_code ec;
  const fs::path py = dir / (id + ".py");
  const fs::path in = dir / (id + ".in");
  const fs::path js = dir / (id + ".json");
  // A link could make pyjudge read any file on the host: inputs must be
  // plain files.
  for (const auto& f : {py, in, js})
    if (fs::exists(fs::symlink_status(f, ec)) && !fs::is_regular_file(fs::symlink_status(f, ec)))
      return fail(f.filename().string() + " is not a regular file (links are refused)");
  runner::Job job;
  job.id = id;
  job.limits = opt_.problem ? opt_.problem->limits : opt_.defaults;
  job.result_dir = ".";
  if (auto s = fill_from_spec(job, py, in, js); !s) return s.error();
  // What the engine's machine cannot honour, or the farm cannot carry.
  if (auto s = executor_.accepts(job); !s) return fail(id + ": " + s.error().message);
  return job;
}

// ID.py (with ID.in, and ID.json for its limits) or an ID.json naming files
// in SPOOL/files/: both specs go through the one job-spec parser.
Status Dispatcher::fill_from_spec(runner::Job& job, const fs::path& py, const fs::path& in, const fs::path& js) const {
  const std::string& id = job.id;
  std::error_code ec;
  const bool has_py = fs::exists(py, ec);
  const bool has_js = fs::exists(js, ec);
  if (opt_.problem && has_js) return fail(id + ".json: limits come from the problem in --problem mode");
  if (opt_.problem && !has_py) return fail("in --problem mode a job is " + id + ".py");
  if (!has_py && !has_js) return fail("no " + id + ".py and no " + id + ".json");
  runner::JobSpecRules rules;
  if (has_py) {
    job.script = py;
    if (fs::exists(in, ec)) job.stdin_file = in;
  } else {
    rules.names_files = true;
    rules.fixed_id = id;
    rules.resolve = [this](const std::string& name) { return shared_file(name); };
  }
  if (!has_js) return validate(job);
  auto j = runner::read_json_object(js, js.filename().string());
  if (!j) return j.error();
  if (auto s = runner::apply_job_spec(job, *j, rules); !s) return fail(id + ".json: " + s.error().message);
  return ok();
}

// A job spec's file: a plain file inside SPOOL/files/, the operator's
// shared scripts and inputs. Inbox writers may be less trusted than the
// operator, so no absolute path, no way out, no links.
Expected<fs::path> Dispatcher::shared_file(const std::string& name) const {
  const fs::path rel(name);
  if (rel.empty() || rel.is_absolute()) return fail("'" + name + "' must be a path relative to files/ in the spool");
  std::error_code ec;
  const fs::path base = fs::canonical(spool_.files(), ec);
  if (ec) return fail("'" + name + "': the spool has no files/ folder");
  const fs::path p = fs::weakly_canonical(base / rel, ec);
  if (ec) return fail("'" + name + "': " + ec.message());
  if (std::mismatch(base.begin(), base.end(), p.begin(), p.end()).first != base.end())
    return fail("'" + name + "' leaves files/ in the spool");
  if (!fs::is_regular_file(fs::symlink_status(base / rel, ec)))
    return fail("'" + name + "' is not a regular file in files/ (links are refused)");
  return p;
}

// On a worker thread. Whatever goes wrong, the job stays claimed (judged
// again on the next start) rather than being lost.
void Dispatcher::judge(const std::string& id) {
  try {
    judge_claimed(id);
  } catch (const std::exception& e) {
    spdlog::error("{}: internal error: {}; it stays claimed and is judged again on the next start", id, e.what());
    not_judged();
  }
}

// A claimed job that could not be judged this time counts as a failure.
void Dispatcher::not_judged() {
  std::lock_guard lock(mu_);
  worst_exit_ = kExitFailed;
}

void Dispatcher::judge_claimed(const std::string& id) {
  auto job = job_of(id);
  if (!job) {
    if (auto s = spool_.reject_claimed(id, job.error().message); !s) spdlog::error("{}: {}", id, s.error().message);
    spdlog::warn("{}: rejected: {}", id, job.error().message);
    ++rejected_;
    return;
  }
  auto temp = spool_.temp_result_dir(id);
  if (!temp) {
    spdlog::error("{}: {}", id, temp.error().message);
    return not_judged();
  }
  const Judged j = opt_.problem ? grade_one(*job, *temp) : run_one(*job, *temp);
  std::error_code ec;
  if (j.interrupted) {
    fs::remove_all(*temp, ec);  // stays claimed: the next start judges it again
    spdlog::warn("{}: interrupted; it stays claimed and is judged again on the next start", id);
    return;
  }
  if (spool_.has_result(id)) {
    fs::remove_all(*temp, ec);
  } else if (auto s = spool_.commit_result(*temp, id); !s) {
    spdlog::error("{}: {}", id, s.error().message);
    fs::remove_all(*temp, ec);
    return not_judged();
  }
  if (auto s = spool_.finish(id); !s) spdlog::error("{}: {}", id, s.error().message);
  spdlog::info("{}: {}", id, j.verdict);
  std::lock_guard lock(mu_);
  ++judged_;
  ++verdicts_[j.verdict.substr(0, j.verdict.find(' '))];
  if (exit_rank(j.exit_code) > exit_rank(worst_exit_)) worst_exit_ = j.exit_code;
}

// --problem: the job's script graded against the problem, with its reports
// beside the runs' results.
Dispatcher::Judged Dispatcher::grade_one(const runner::Job& job, const fs::path& temp) {
  GradeOptions g;
  g.out = temp;
  g.isolation = opt_.isolation;
  g.in_slot = true;
  g.compiler = opt_.compiler;
  const Submission sub{job.id, job.script, job.id + ".py", ".", {}};
  const auto report = grade(*opt_.problem, {sub}, g, executor_);
  if (report.signal != 0) return {"", kExitOk, true};
  if (!report.problem_error.empty()) {  // the problem's fault (its validator does not build): no verdict
    spdlog::error("{}: {}", job.id, report.problem_error);
    return {"not graded (the problem's error)", kExitBadInput, false};
  }
  const auto& s = report.submissions.at(0);
  const int exit_code = !s.graded ? kExitNotGraded : s.verdict == GradeVerdict::AC ? kExitOk : kExitNotAccepted;
  for (const auto& [name, text] : grade_report_files(report, temp, {opt_.version, runner::iso8601_now()}))
    if (auto w = runner::write_file_atomic(temp / name, text); !w) spdlog::error("{}: {}", job.id, w.error().message);
  return {fmt::format("{} ({}/{})", s.graded ? to_string(s.verdict) : "not graded", s.score, s.max_score), exit_code,
          false};
}

Dispatcher::Judged Dispatcher::run_one(const runner::Job& job, const fs::path& temp) {
  const BatchOutcome o = executor_.run_in_slot({job}, temp, job.id);
  const BatchEntry& e = o.entries.at(0);
  if (e.state != EntryState::Done) return {"", kExitOk, true};
  const runner::JobResult& r = e.result;
  return {std::string(to_string(r.verdict)), exit_for_status(r.status()), r.interrupted};
}

}  // namespace pyjudge::judge
