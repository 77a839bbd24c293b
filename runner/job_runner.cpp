#include "job_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "container_spec.h"
#include "files.h"
#include "interrupt.h"
#include "owned_container.h"
#include "random.h"
#include "record_splitter.h"
#include "stream_demux.h"
#include "supervisor_protocol.h"
#include "tar_bundle.h"

namespace pyjudge {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

constexpr std::size_t kChunk = 64 * 1024;

// What goes into the container's stdin: the supervisor's header and bundle,
// then the job's stdin file, read a chunk at a time.
class StdinFeed {
 public:
  StdinFeed(std::string prefix, UniqueFd file) : buf_(std::move(prefix)), file_(std::move(file)) {}

  // The bytes to send next; empty when everything was sent.
  Expected<std::string_view> next() {
    if (off_ == buf_.size() && file_) {
      buf_.resize(kChunk);
      ssize_t n = 0;
      do n = ::read(file_.get(), buf_.data(), kChunk);
      while (n < 0 && errno == EINTR);
      if (n < 0) return fail(std::string("cannot read the stdin file: ") + std::strerror(errno));
      buf_.resize(static_cast<std::size_t>(n));
      off_ = 0;
      if (n == 0) file_.reset();
    }
    return std::string_view(buf_).substr(off_);
  }
  void consumed(std::size_t n) { off_ += n; }

 private:
  std::string buf_;
  std::size_t off_ = 0;
  UniqueFd file_;
};

class Attempt {
 public:
  Attempt(Engine& engine, const Job& job, const RunContext& ctx) : engine_(engine), job_(job), ctx_(ctx) {
    obs_.wall_limit_s = job.limits.wall_limit_s;
    obs_.kill_grace_s = job.limits.kill_grace_s;
    res_.id = job.id;
    res_.limits = job.limits;
    res_.image = ctx.image;
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
    stdout_ = &*out;
    stderr_ = &*err;

    execute();
    if (res_.interrupted) return res_;  // temp files go with the CappedFiles

    classify_into_result();
    res_.stdout_truncated = out->truncated();
    res_.stderr_truncated = err->truncated();
    res_.finished_at = iso8601_now();
    Status s = out->commit();
    if (s) s = err->commit();
    if (s) s = write_file_atomic(dir / "result.json", to_json(res_).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!s) {
      res_.verdict = Verdict::IE;
      res_.message = "cannot write results: " + s.error().message;
    }
    return res_;
  }

 private:
  JobResult finish_without_files(std::string why) {
    res_.verdict = Verdict::IE;
    res_.message = std::move(why);
    res_.finished_at = iso8601_now();
    return res_;
  }

  void set_cause(HostCause c, std::string msg) {
    if (obs_.cause != HostCause::None) return;  // the first cause wins
    obs_.cause = c;
    obs_.cause_message = std::move(msg);
  }

  void execute() {
    auto script = read_file(job_.script);
    if (!script) return set_cause(HostCause::InternalError, script.error().message);
    std::vector<BundleFile> files{{kScriptName, std::move(*script)}};
    for (const auto& [name, path] : job_.files) {
      auto content = read_file(path);
      if (!content) return set_cause(HostCause::InternalError, content.error().message);
      files.push_back({name, std::move(*content)});
    }
    auto bundle = build_tar(files);
    if (!bundle) return set_cause(HostCause::InternalError, bundle.error().message);
    UniqueFd in;
    if (job_.stdin_file) {
      in.reset(::open(job_.stdin_file->c_str(), O_RDONLY | O_CLOEXEC));
      if (!in) return set_cause(HostCause::InternalError, "cannot open " + job_.stdin_file->string() + ": " + std::strerror(errno));
    }
    nonce_ = random_hex(16);
    StdinFeed feed(make_header(nonce_, bundle->size(), job_.limits) + *bundle, std::move(in));

    const auto t0 = Clock::now();
    const std::string name = "pyjudge-" + ctx_.session.id + "-" + job_.id + "-" + std::to_string(ctx_.attempt);
    auto id = engine_.create_container(name, container_spec(ctx_.image, job_.limits, ctx_.session.labels(job_.id)));
    if (!id) return set_cause(HostCause::InternalError, id.error().message);
    OwnedContainer container(engine_, *id);
    const auto t1 = Clock::now();
    auto conn = engine_.attach(*id);
    if (!conn) return set_cause(HostCause::InternalError, conn.error().message);
    const auto t2 = Clock::now();
    if (auto s = engine_.start(*id); !s) return set_cause(HostCause::InternalError, s.error().message);
    const auto t3 = Clock::now();

    pump(*conn, feed, *id, t3);
    const auto t4 = Clock::now();
    if (res_.interrupted) return;  // the owner's destructor kills and removes

    if (auto rec = record_) {
      auto parsed = parse_record(*rec);
      if (parsed) obs_.record = *parsed;
      else set_cause(HostCause::InternalError, parsed.error().message);
    } else if (obs_.cause == HostCause::None) {
      ask_engine_how_it_ended(*id);
    }
    res_.wall_time = obs_.record ? static_cast<double>(obs_.record->wall_ns) / 1e9 : ms_between(t3, t4) / 1000.0;
    const auto t5 = Clock::now();
    if (auto s = container.remove(); !s) spdlog::warn("job {}: {}", job_.id, s.error().message);
    const auto t6 = Clock::now();
    spdlog::debug("job {}: create {:.1f} ms, attach {:.1f} ms, start {:.1f} ms, run {:.1f} ms, inspect {:.1f} ms, remove {:.1f} ms",
                  job_.id, ms_between(t0, t1), ms_between(t1, t2), ms_between(t2, t3), ms_between(t3, t4),
                  ms_between(t4, t5), ms_between(t5, t6));
  }

  // The supervisor left no record (it was killed, or died): the engine's
  // exit status and OOM flag are what is left.
  void ask_engine_how_it_ended(const std::string& id) {
    auto code = engine_.wait(id, 15'000);
    if (!code) return set_cause(HostCause::InternalError, code.error().message);
    auto j = engine_.inspect_container(id);
    if (!j) return set_cause(HostCause::InternalError, j.error().message);
    const auto& state = (*j)["State"];
    obs_.engine_exit = EngineExit{state.value("ExitCode", *code), state.value("OOMKilled", false)};
  }

  void write_capped(CappedFile& f, std::string_view data, HostCause cause, const char* what) {
    if (auto s = f.write(data); !s) {
      set_cause(HostCause::InternalError, s.error().message);
      kill_wanted_ = true;
    }
    if (f.truncated() && !kill_wanted_) {
      set_cause(cause, std::string("output limit exceeded on ") + what + " (" + format_size(f.bytes_seen()) + "+ written)");
      kill_wanted_ = true;
    }
  }

  void pump(RawConnection& conn, StdinFeed& feed, const std::string& id, Clock::time_point started) {
    RecordSplitter splitter(record_marker(nonce_), [&](std::string_view d) {
      write_capped(*stderr_, d, HostCause::StderrLimit, "stderr");
    });
    StreamDemux demux([&](StreamId s, std::string_view d) {
      if (s == StreamId::Stdout) write_capped(*stdout_, d, HostCause::StdoutLimit, "stdout");
      else if (s == StreamId::Stderr) splitter.feed(d);
    });
    auto feed_bytes = [&](std::string_view d) {
      if (auto s = demux.feed(d); !s) {
        set_cause(HostCause::InternalError, s.error().message);
        kill_wanted_ = true;
      }
    };
    feed_bytes(conn.take_leftover());

    const auto deadline = started + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(job_.limits.host_deadline_s()));
    bool writing = true;
    bool killed = false;
    std::string buf(kChunk, '\0');
    for (;;) {
      if (ctx_.should_abort ? ctx_.should_abort() : interrupted()) {
        res_.interrupted = true;
        return;
      }
      const auto now = Clock::now();
      if (now >= deadline) {
        set_cause(HostCause::Deadline, "time limit exceeded (host watchdog)");
        kill_wanted_ = true;
      }
      if (kill_wanted_) {
        // Hang up first: the engine does not finish a kill while it is still
        // trying to hand output to an attach client. Nothing after this
        // point can change the verdict, which is already decided.
        conn.close();
        if (auto s = engine_.kill(id); !s) set_cause(HostCause::InternalError, s.error().message);
        killed = true;
        break;
      }
      std::string_view pending;
      if (writing) {
        auto next = feed.next();
        if (!next) {
          set_cause(HostCause::InternalError, next.error().message);
          kill_wanted_ = true;
          continue;
        }
        pending = *next;
        if (pending.empty()) {
          conn.shutdown_write();  // EOF on the script's stdin
          writing = false;
        }
      }
      pollfd p{conn.fd(), static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
      const auto until_deadline = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
      const int wait_ms = static_cast<int>(std::clamp<long long>(until_deadline, 0, 100));
      if (::poll(&p, 1, wait_ms) < 0 && errno != EINTR) {
        set_cause(HostCause::InternalError, std::string("poll: ") + std::strerror(errno));
        break;
      }
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        bool ended = false;
        // At most 16 chunks before the deadline, caps and abort are looked at again.
        for (int chunks = 0; chunks < 16 && !kill_wanted_; ++chunks) {
          std::size_t n = 0;
          const auto r = conn.recv(buf.data(), buf.size(), n);
          if (r == RawConnection::Io::Ok) {
            feed_bytes(std::string_view(buf.data(), n));
            continue;
          }
          if (r == RawConnection::Io::Closed) ended = true;
          if (r == RawConnection::Io::Error) {
            set_cause(HostCause::InternalError, "the engine dropped the attach connection");
            ended = true;
          }
          break;
        }
        if (ended) break;
      }
      if (writing && (p.revents & POLLOUT)) {
        std::size_t n = 0;
        const auto r = conn.send(pending, n);
        if (r == RawConnection::Io::Ok) feed.consumed(n);
        // The container closed its stdin (the script exited without reading
        // it all): the rest is not wanted.
        else if (r != RawConnection::Io::Again) writing = false;
      }
    }
    splitter.finish();
    if (!demux.at_frame_boundary() && obs_.cause == HostCause::None && !killed)
      set_cause(HostCause::InternalError, "the attach stream ended inside a frame");
    record_ = splitter.record();
  }

  void classify_into_result() {
    const Classification c = classify(obs_);
    res_.verdict = c.verdict;
    res_.exit_code = c.exit_code;
    res_.signal = c.signal;
    res_.message = c.message;
    if (obs_.record) {
      if (obs_.record->cpu_ns) res_.cpu_time = static_cast<double>(*obs_.record->cpu_ns) / 1e9;
      res_.memory_peak = obs_.record->memory_peak;
    }
  }

  Engine& engine_;
  const Job& job_;
  const RunContext& ctx_;
  JobResult res_;
  Observation obs_;
  std::string nonce_;
  CappedFile* stdout_ = nullptr;
  CappedFile* stderr_ = nullptr;
  bool kill_wanted_ = false;
  std::optional<std::string> record_;
};

}  // namespace

JobResult run_job(Engine& engine, const Job& job, const RunContext& ctx) { return Attempt(engine, job, ctx).run(); }

}  // namespace pyjudge
