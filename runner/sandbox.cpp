#include "sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "container_spec.h"
#include "random.h"
#include "supervisor_protocol.h"
#include "tar_bundle.h"
#include "unique_fd.h"

namespace pyjudge {

namespace {

using Clock = std::chrono::steady_clock;
namespace proto = protocol;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

constexpr std::size_t kChunk = proto::kMaxFramePayload;
constexpr std::size_t kMaxDiagnostics = 2048;

}  // namespace

// Everything one run() knows while it runs.
struct Sandbox::RunState {
  CappedFile* out = nullptr;
  CappedFile* err = nullptr;
  std::string nonce;
  Outcome outcome;
  bool record_seen = false;
  bool broken = false;  // the supervisor sent something outside the protocol

  void set_cause(HostCause c, std::string msg, IeReason reason = IeReason::None) {
    if (outcome.obs.cause != HostCause::None) return;  // the first cause wins
    outcome.obs.cause = c;
    outcome.obs.cause_message = std::move(msg);
    outcome.obs.ie_reason = reason;
  }
};

Sandbox::Sandbox(Engine& engine, std::string id, const Limits& limits)
    : engine_(engine),
      container_(engine, std::move(id)),
      limits_(limits),
      demux_([this](StreamId s, std::string_view d) { on_stream(s, d); }) {}

Sandbox::~Sandbox() {
  if (!usable_ || conn_.fd() < 0) return;  // the owner force-removes it
  // EOF between runs: the supervisor exits 0 and the stream closes.
  conn_.shutdown_write();
  const auto until = Clock::now() + std::chrono::seconds(2);
  char buf[4096];
  while (Clock::now() < until) {
    pollfd p{conn_.fd(), POLLIN, 0};
    if (::poll(&p, 1, 100) < 0 && errno != EINTR) break;
    std::size_t n = 0;
    const auto r = conn_.recv(buf, sizeof buf, n);
    if (r == RawConnection::Io::Closed || r == RawConnection::Io::Error) break;
  }
}

Expected<std::unique_ptr<Sandbox>> Sandbox::open(Engine& engine, const std::string& image, const Limits& limits,
                                                 const std::map<std::string, std::string>& labels,
                                                 const std::string& name) {
  const auto t0 = Clock::now();
  auto id = engine.create_container(name, container_spec(image, limits, labels));
  if (!id) return id.error();
  std::unique_ptr<Sandbox> sb(new Sandbox(engine, *id, limits));  // owns the container from here on
  const auto t1 = Clock::now();
  auto conn = engine.attach(*id);
  if (!conn) return conn.error();
  sb->conn_ = std::move(*conn);
  const auto t2 = Clock::now();
  if (auto s = engine.start(*id); !s) return s.error();
  const auto t3 = Clock::now();
  spdlog::debug("container {}: create {:.1f} ms, attach {:.1f} ms, start {:.1f} ms", id->substr(0, 12),
                ms_between(t0, t1), ms_between(t1, t2), ms_between(t2, t3));
  sb->stream_leftover_ = sb->conn_.take_leftover();
  return sb;
}

void Sandbox::on_stream_raw(std::string_view data) {
  if (auto s = demux_.feed(data); !s) {
    if (run_) run_->broken = true;
    usable_ = false;
  }
}

void Sandbox::on_stream(StreamId s, std::string_view data) {
  if (s == StreamId::Stderr) {
    diagnostics_.append(data.substr(0, kMaxDiagnostics - std::min(kMaxDiagnostics, diagnostics_.size())));
    return;
  }
  if (s != StreamId::Stdout) return;
  while (!data.empty()) {
    char type = 0;
    std::string_view payload;
    const auto r = frames_.pop(data, type, payload);
    if (r == proto::FrameReader::Result::NeedMore) break;
    if (r == proto::FrameReader::Result::Oversized) {
      if (run_) run_->broken = true;
      usable_ = false;
      return;
    }
    on_frame(type, payload);
  }
}

void Sandbox::on_frame(char type, std::string_view payload) {
  if (!run_ || run_->record_seen) {  // nothing is expected between runs
    if (run_) run_->broken = true;
    usable_ = false;
    return;
  }
  RunState& r = *run_;
  auto write = [&](CappedFile& f, HostCause cause, const char* what) {
    if (auto s = f.write(payload); !s) r.set_cause(HostCause::InternalError, s.error().message, IeReason::SetupError);
    if (f.truncated())
      r.set_cause(cause,
                  std::string("output limit exceeded on ") + what + " (" + format_size(f.bytes_seen()) + "+ written)");
  };
  switch (type) {
    case proto::from_supervisor::kStdout:
      return write(*r.out, HostCause::StdoutLimit, "stdout");
    case proto::from_supervisor::kStderr:
      return write(*r.err, HostCause::StderrLimit, "stderr");
    case proto::from_supervisor::kRecord: {
      r.record_seen = true;
      auto rec = parse_record(payload, r.nonce);
      if (!rec) {
        r.set_cause(HostCause::InternalError, rec.error().message, IeReason::ProtocolError);
        usable_ = false;
        return;
      }
      r.outcome.obs.record = *rec;
      if (!rec->reusable) usable_ = false;
      return;
    }
    default:
      r.broken = true;
      usable_ = false;
  }
}

Sandbox::Outcome Sandbox::run(const Job& job, CappedFile& out, CappedFile& err,
                              const std::function<bool()>& should_abort) {
  RunState st;
  st.out = &out;
  st.err = &err;
  st.outcome.obs.wall_limit_s = job.limits.wall_limit_s;
  st.outcome.obs.kill_grace_s = job.limits.kill_grace_s;
  ++runs_;
  if (!usable_) {
    st.set_cause(HostCause::InternalError, "the container is no longer usable", IeReason::ConnectionLost);
    return st.outcome;
  }
  run_ = &st;
  struct Detach {
    RunState*& p;
    ~Detach() { p = nullptr; }
  } detach{run_};

  // What goes in: the run header, the bundle, then the stdin file.
  auto script = read_file(job.script);
  if (!script) {
    st.set_cause(HostCause::InternalError, script.error().message, IeReason::InputError);
    return st.outcome;
  }
  std::vector<BundleFile> files{{proto::kScriptName, std::move(*script)}};
  for (const auto& [name, path] : job.files) {
    auto content = read_file(path);
    if (!content) {
      st.set_cause(HostCause::InternalError, content.error().message, IeReason::InputError);
      return st.outcome;
    }
    files.push_back({name, std::move(*content)});
  }
  auto bundle = build_tar(files);
  if (!bundle) {
    st.set_cause(HostCause::InternalError, bundle.error().message, IeReason::SetupError);
    return st.outcome;
  }
  UniqueFd in;
  if (job.stdin_file) {
    in.reset(::open(job.stdin_file->c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) {
      st.set_cause(HostCause::InternalError, "cannot open " + job.stdin_file->string() + ": " + std::strerror(errno),
                   IeReason::InputError);
      return st.outcome;
    }
  }
  st.nonce = random_hex(16);
  std::string outbox;
  proto::append_frame(outbox, proto::to_supervisor::kRun, make_run_header(st.nonce, bundle->size(), job.limits));
  for (std::size_t off = 0; off < bundle->size(); off += kChunk)
    proto::append_frame(outbox, proto::to_supervisor::kBundle, std::string_view(*bundle).substr(off, kChunk));
  bundle->clear();
  std::size_t sent = 0;
  bool input_done = false;
  std::string chunk(kChunk, '\0');

  const auto t0 = Clock::now();
  const auto deadline =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(job.limits.host_deadline_s()));
  if (!stream_leftover_.empty()) on_stream_raw(std::exchange(stream_leftover_, {}));
  bool ended = false;  // the stream closed
  std::string buf(kChunk, '\0');
  for (;;) {
    if (should_abort && should_abort()) {
      st.outcome.interrupted = true;
      usable_ = false;  // the owner removes it
      return st.outcome;
    }
    if (st.broken) {
      st.set_cause(HostCause::InternalError, "the supervisor broke the protocol", IeReason::ProtocolError);
      usable_ = false;
      break;
    }
    if (st.record_seen && input_done && sent == outbox.size()) break;
    const auto now = Clock::now();
    if (now >= deadline) {
      st.set_cause(HostCause::Deadline, "time limit exceeded (host watchdog)");
      usable_ = false;
      // Hang up first: the engine does not finish a kill while it is still
      // trying to hand output to an attach client.
      conn_.close();
      if (auto s = engine_.kill(container_.id()); !s) spdlog::warn("kill {}: {}", container_.id(), s.error().message);
      break;
    }
    if (sent == outbox.size() && !input_done) {
      outbox.clear();
      sent = 0;
      ssize_t n = 0;
      if (in && !st.record_seen) {
        do n = ::read(in.get(), chunk.data(), chunk.size());
        while (n < 0 && errno == EINTR);
        if (n < 0)
          st.set_cause(HostCause::InternalError, std::string("cannot read the stdin file: ") + std::strerror(errno),
                       IeReason::InputError);
      }
      if (n > 0) {
        proto::append_frame(outbox, proto::to_supervisor::kInput,
                            std::string_view(chunk.data(), static_cast<std::size_t>(n)));
      } else {
        proto::append_frame(outbox, proto::to_supervisor::kInputEnd, {});
        input_done = true;
        in.reset();
      }
    }
    const bool writing = sent < outbox.size();
    pollfd p{conn_.fd(), static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
    const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    if (::poll(&p, 1, static_cast<int>(std::clamp<long long>(left_ms, 0, 100))) < 0 && errno != EINTR) {
      st.set_cause(HostCause::InternalError, std::string("poll: ") + std::strerror(errno), IeReason::ConnectionLost);
      usable_ = false;
      break;
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      // At most 16 chunks before the deadline and abort are looked at again.
      for (int i = 0; i < 16 && !st.record_seen; ++i) {
        std::size_t n = 0;
        const auto r = conn_.recv(buf.data(), buf.size(), n);
        if (r == RawConnection::Io::Ok) {
          on_stream_raw(std::string_view(buf.data(), n));
          continue;
        }
        if (r == RawConnection::Io::Closed || r == RawConnection::Io::Error) ended = true;
        break;
      }
      if (ended) break;
    }
    if (writing && (p.revents & POLLOUT)) {
      std::size_t n = 0;
      const auto r = conn_.send(std::string_view(outbox).substr(sent), n);
      if (r == RawConnection::Io::Ok)
        sent += n;
      else if (r != RawConnection::Io::Again) {
        // The container's stdin is gone: so is the supervisor.
        ended = true;
        break;
      }
    }
  }
  const auto t1 = Clock::now();

  if (ended && !st.record_seen) {
    usable_ = false;
    if (st.outcome.obs.cause == HostCause::None) {
      // The supervisor died: how the container ended is all there is.
      auto code = engine_.wait(container_.id(), 15'000);
      auto j = code ? engine_.inspect_container(container_.id()) : Expected<nlohmann::json>(code.error());
      if (!j) {
        st.set_cause(HostCause::InternalError, j.error().message, IeReason::EngineError);
      } else {
        const auto& state = (*j)["State"];
        st.outcome.obs.engine_exit = EngineExit{state.value("ExitCode", *code), state.value("OOMKilled", false)};
      }
    }
    if (!diagnostics_.empty()) spdlog::warn("container {}: {}", container_.id().substr(0, 12), diagnostics_);
  }
  st.outcome.wall_s =
      st.outcome.obs.record ? static_cast<double>(st.outcome.obs.record->wall_ns) / 1e9 : ms_between(t0, t1) / 1000.0;
  spdlog::debug("job {}: run {} in container {}: {:.1f} ms", job.id, runs_, container_.id().substr(0, 12),
                ms_between(t0, t1));
  return st.outcome;
}

}  // namespace pyjudge
