#include "runner/sandbox/job_runner.h"

#include <atomic>
#include <exception>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "runner/job/files.h"
#include "runner/shared/interrupt.h"

namespace pyjudge::runner {

namespace {

// The exception's what(), or a stand-in for one that is no std::exception.
std::string exception_text(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "an unknown exception";
  }
}

class Attempt {
 public:
  Attempt(Sandbox* sandbox, const std::string& open_error, const Job& job, const RunContext& ctx, const PairSide& side)
      : sandbox_(sandbox), open_error_(open_error), job_(job), ctx_(ctx), side_(side) {
    res_.id = job.id;
    res_.limits = job.limits;
    res_.image = job.image_or(ctx.image);
    res_.attempts = ctx.attempt;
  }

  JobResult run() {
    res_.started_at = iso8601_now();
    const auto dir = result_dir_of(ctx_.out_dir, job_);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return finish_without_files("cannot create " + dir.string() + ": " + ec.message());
    // An earlier run's result must not outlive this attempt (--resume reads it).
    std::filesystem::remove(dir / "result.json", ec);
    auto out = CappedFile::create(dir / "stdout", job_.limits.stdout_limit_bytes);
    if (!out) return finish_without_files(out.error().message);
    auto err = CappedFile::create(dir / "stderr", job_.limits.stderr_limit_bytes);
    if (!err) return finish_without_files(err.error().message);

    const Sandbox::Outcome o = observe(*out, *err);
    end_of_pair_side();
    if (o.interrupted) {
      res_.interrupted = true;
      return res_;  // temp files go with the CappedFiles
    }
    classify_into(o);
    res_.stdout_truncated = out->truncated();
    res_.stderr_truncated = err->truncated();
    res_.finished_at = iso8601_now();
    Status s = out->commit();
    if (s) s = err->commit();
    if (s)
      s = write_file_atomic(dir / "result.json",
                            to_json(res_).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!s) {
      res_.verdict = Verdict::IE;
      res_.ie_reason = IeReason::SetupError;
      res_.message = "cannot write results: " + s.error().message;
    }
    return res_;
  }

 private:
  // An interactive run has ended: the other side's stdin ends, and the
  // first of the two to get here ended first.
  void end_of_pair_side() {
    if (side_.links.output) side_.links.output->close();
    if (side_.race) res_.ended_first = !side_.race->exchange(true);
  }

  JobResult finish_without_files(std::string why) {
    end_of_pair_side();
    res_.verdict = Verdict::IE;
    res_.ie_reason = IeReason::SetupError;
    res_.message = std::move(why);
    res_.finished_at = iso8601_now();
    return res_;
  }

  // The run in the sandbox; without one, or when the run throws (the
  // sandbox is then unusable), an engine error.
  Sandbox::Outcome observe(CappedFile& out, CappedFile& err) {
    if (!sandbox_) return engine_error(open_error_);
    try {
      auto abort = ctx_.should_abort ? ctx_.should_abort : std::function<bool()>([] { return interrupted(); });
      return sandbox_->run(job_, out, err, abort, side_.links);
    } catch (...) {
      return engine_error("internal error: " + exception_text(std::current_exception()));
    }
  }

  static Sandbox::Outcome engine_error(std::string why) {
    Sandbox::Outcome o;
    o.obs.cause = HostCause::InternalError;
    o.obs.cause_message = std::move(why);
    o.obs.ie_reason = IeReason::EngineError;
    return o;
  }

  void classify_into(const Sandbox::Outcome& o) {
    const Classification c = classify(o.obs);
    res_.verdict = c.verdict;
    res_.ie_reason = c.ie_reason;
    res_.exit_code = c.exit_code;
    res_.signal = c.signal;
    res_.message = c.message;
    res_.wall_time = o.wall_s;
    if (o.obs.record) {
      if (o.obs.record->cpu_ns) res_.cpu_time = static_cast<double>(*o.obs.record->cpu_ns) / 1e9;
      res_.memory_peak = o.obs.record->memory_peak;
      res_.ended_ns = o.obs.record->ended_ns;
    }
  }

  Sandbox* sandbox_;
  const std::string& open_error_;
  const Job& job_;
  const RunContext& ctx_;
  const PairSide& side_;
  JobResult res_;
};

// Numbers the containers of this process, so their names never repeat.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): one counter for all workers
std::atomic<unsigned> g_containers{0};

}  // namespace

JobResult ie_result(const Job& job, IeReason reason, std::string message) {
  JobResult res;
  res.id = job.id;
  res.limits = job.limits;
  res.verdict = Verdict::IE;
  res.ie_reason = reason;
  res.message = std::move(message);
  res.finished_at = iso8601_now();
  res.started_at = res.finished_at;
  return res;
}

JobResult exception_result(const Job& job, const RunContext& ctx, IeReason reason, const std::exception_ptr& e) {
  JobResult res = ie_result(job, reason, "internal error: " + exception_text(e));
  res.image = job.image_or(ctx.image);
  res.attempts = ctx.attempt;
  return res;
}

Expected<std::unique_ptr<Sandbox>> open_sandbox(Engine& engine, const Job& job, const RunContext& ctx) noexcept {
  try {
    // Unique within the session whatever the job ids and attempts.
    const std::string name = "pyjudge-" + ctx.session.id + "-" + job.id + "-" + std::to_string(ctx.attempt) + "-" +
                             std::to_string(g_containers.fetch_add(1));
    ContainerRole role = ContainerRole::Script;
    if (job.function_run())
      role = ContainerRole::FunctionRun;
    else if (ctx.zygote && !is_gvisor(job.limits.runtime))
      role = ContainerRole::ZygoteScript;
    return Sandbox::open(engine, job.image_or(ctx.image), job.limits, ctx.session.labels(job.id), name, ctx.seccomp,
                         role);
  } catch (...) {
    return fail("cannot open a container: " + exception_text(std::current_exception()));
  }
}

JobResult run_job_in(Sandbox* sandbox, const std::string& open_error, const Job& job, const RunContext& ctx,
                     const PairSide& side) noexcept {
  try {
    return Attempt(sandbox, open_error, job, ctx, side).run();
  } catch (...) {
    if (side.links.output) side.links.output->close();
    JobResult r = exception_result(job, ctx, IeReason::SetupError, std::current_exception());
    if (side.race) r.ended_first = !side.race->exchange(true);
    return r;
  }
}

JobResult run_job_in(Sandbox* sandbox, const std::string& open_error, const Job& job, const RunContext& ctx) noexcept {
  return run_job_in(sandbox, open_error, job, ctx, PairSide{});
}

JobResult run_job(Engine& engine, const Job& job, const RunContext& ctx) noexcept {
  try {
    auto sb = open_sandbox(engine, job, ctx);
    if (!sb) return run_job_in(nullptr, sb.error().message, job, ctx);
    return run_job_in(sb->get(), "", job, ctx);
  } catch (...) {
    return exception_result(job, ctx, IeReason::EngineError, std::current_exception());
  }
}

}  // namespace pyjudge::runner
