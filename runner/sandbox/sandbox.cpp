#include "runner/sandbox/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include <spdlog/spdlog.h>

#include "runner/sandbox/container_spec.h"
#include "runner/sandbox/supervisor_protocol.h"
#include "runner/sandbox/tar_bundle.h"
#include "runner/shared/errno_text.h"
#include "runner/shared/random.h"
#include "runner/shared/unique_fd.h"

namespace pyjudge::runner {

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
  RunState(CappedFile& out_file, CappedFile& err_file, const Limits& limits) : out(&out_file), err(&err_file) {
    outcome.obs.wall_limit_s = limits.wall_limit_s;
    outcome.obs.kill_grace_s = limits.kill_grace_s;
  }

  CappedFile* out;
  CappedFile* err;
  std::string nonce;
  Outcome outcome;
  bool record_seen = false;
  bool broken = false;  // the supervisor sent something outside the protocol
  bool ended = false;   // the stream closed

  // What goes in: the run header, the bundle, then the stdin file, one
  // chunk at a time once the outbox has been sent.
  UniqueFd stdin_file;
  Links links;  // an interactive run's: stdin from links.input, stdout also to links.output
  std::string outbox;
  std::size_t sent = 0;
  bool input_done = false;
  std::string chunk = std::string(kChunk, '\0');  // read from the stdin file
  std::string inbuf = std::string(kChunk, '\0');  // received from the stream

  void set_cause(HostCause c, std::string msg, IeReason reason = IeReason::None) {
    if (outcome.obs.cause != HostCause::None) return;  // the first cause wins
    outcome.obs.cause = c;
    outcome.obs.cause_message = std::move(msg);
    outcome.obs.ie_reason = reason;
  }

  bool outbox_sent() const { return sent == outbox.size(); }

  // The run header and the whole bundle into the outbox, and the stdin file
  // opened. False (the cause set) when the job's files cannot be read or
  // bundled.
  bool load(const Job& job) {
    auto files = bundle_files(job);
    if (!files) {
      set_cause(HostCause::InternalError, files.error().message, IeReason::InputError);
      return false;
    }
    auto bundle = build_tar(*files, job.function_run());
    if (!bundle) {
      set_cause(HostCause::InternalError, bundle.error().message, IeReason::SetupError);
      return false;
    }
    if (job.stdin_file) {
      stdin_file.reset(::open(job.stdin_file->c_str(), O_RDONLY | O_CLOEXEC));
      if (!stdin_file) {
        const int e = errno;
        set_cause(HostCause::InternalError, "cannot open " + job.stdin_file->string() + ": " + errno_text(e),
                  IeReason::InputError);
        return false;
      }
    }
    nonce = random_hex(16);
    proto::append_frame(outbox, proto::to_supervisor::kRun,
                        make_run_header(nonce, bundle->size(), job.limits, job.entry()));
    for (std::size_t off = 0; off < bundle->size(); off += kChunk)
      proto::append_frame(outbox, proto::to_supervisor::kBundle, std::string_view(*bundle).substr(off, kChunk));
    return true;
  }

  // Once the outbox has been sent: the next chunk of the stdin file, or
  // INPUT_END after its last one (at once when there is none, or when the
  // record has come: the script no longer reads).
  void refill_outbox() {
    if (!outbox_sent() || input_done) return;
    outbox.clear();
    sent = 0;
    if (links.input) return refill_from_channel();
    ssize_t n = 0;
    if (stdin_file && !record_seen) {
      do n = ::read(stdin_file.get(), chunk.data(), chunk.size());
      while (n < 0 && errno == EINTR);
      if (n < 0) {
        const int e = errno;
        set_cause(HostCause::InternalError, "cannot read the stdin file: " + errno_text(e), IeReason::InputError);
      }
    }
    if (n > 0) {
      proto::append_frame(outbox, proto::to_supervisor::kInput,
                          std::string_view(chunk.data(), static_cast<std::size_t>(n)));
    } else {
      proto::append_frame(outbox, proto::to_supervisor::kInputEnd, {});
      input_done = true;
      stdin_file.reset();
    }
  }

  // An interactive run's next input: what the other run wrote since, and
  // INPUT_END once it has ended (or this run has).
  void refill_from_channel() {
    const auto t = record_seen ? ByteChannel::Taken{{}, true} : links.input->take(kChunk);
    if (!t.bytes.empty()) proto::append_frame(outbox, proto::to_supervisor::kInput, t.bytes);
    if (t.ended) {
      proto::append_frame(outbox, proto::to_supervisor::kInputEnd, {});
      input_done = true;
    }
  }

  // Poll the channel when this run waits for its input.
  int waiting_input_fd() const { return links.input && outbox_sent() && !input_done ? links.input->wake_fd() : -1; }

 private:
  // The bundle's files: the script, under its fixed name, then the job's.
  // A function run's: the module's file as work/MODULE.py (none when it
  // only collects), then the job's files by their paths.
  static Expected<std::vector<BundleFile>> bundle_files(const Job& job) {
    std::vector<BundleFile> files;
    if (!job.collect) {
      auto script = read_file(job.script);
      if (!script) return script.error();
      files.push_back({job.function_run() ? "work/" + job.module + ".py" : proto::kScriptName, std::move(*script)});
    }
    for (const auto& [name, path] : job.files) {
      auto content = read_file(path);
      if (!content) return content.error();
      files.push_back({name, std::move(*content)});
    }
    return files;
  }
};

Sandbox::Sandbox(Engine& engine, std::string id, std::string image, Limits limits)
    : engine_(engine),
      container_(engine, std::move(id)),
      image_(std::move(image)),
      limits_(std::move(limits)),
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
                                                 const std::string& name, Seccomp seccomp, ContainerRole role) {
  const auto t0 = Clock::now();
  auto id = engine.create_container(name, container_spec(image, limits, labels, seccomp, role));
  if (!id) return id.error();
  std::unique_ptr<Sandbox> sb(new Sandbox(engine, *id, image, limits));  // owns the container from here on
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
      write(*r.out, HostCause::StdoutLimit, "stdout");
      if (r.links.output && !r.out->truncated()) r.links.output->write(payload);  // relayed within the cap only
      return;
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
                              const std::function<bool()>& should_abort, const Links& links) {
  RunState st(out, err, job.limits);
  st.links = links;
  ++runs_;
  if (!usable_) {
    st.set_cause(HostCause::InternalError, "the container is no longer usable", IeReason::ConnectionLost);
    return st.outcome;
  }
  run_ = &st;
  try {
    run_attached(job, st, should_abort);
  } catch (...) {
    run_ = nullptr;
    usable_ = false;  // the stream is in an unknown state
    throw;
  }
  run_ = nullptr;
  return st.outcome;
}

void Sandbox::run_attached(const Job& job, RunState& st, const std::function<bool()>& should_abort) {
  if (!st.load(job)) return;
  const auto t0 = Clock::now();
  const auto deadline =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(job.limits.host_deadline_s()));
  if (!exchange(st, deadline, should_abort)) return;  // interrupted: the owner removes the container
  const auto t1 = Clock::now();
  if (st.ended && !st.record_seen) learn_how_it_ended(st);
  st.outcome.wall_s =
      st.outcome.obs.record ? static_cast<double>(st.outcome.obs.record->wall_ns) / 1e9 : ms_between(t0, t1) / 1000.0;
  spdlog::debug("job {}: run {} in container {}: {:.1f} ms", job.id, runs_, container_.id().substr(0, 12),
                ms_between(t0, t1));
}

bool Sandbox::exchange(RunState& st, Clock::time_point deadline, const std::function<bool()>& should_abort) {
  if (!stream_leftover_.empty()) on_stream_raw(std::exchange(stream_leftover_, {}));
  for (;;) {
    if (should_abort && should_abort()) {
      st.outcome.interrupted = true;
      usable_ = false;  // the owner removes it
      return false;
    }
    if (st.broken) {
      st.set_cause(HostCause::InternalError, "the supervisor broke the protocol", IeReason::ProtocolError);
      usable_ = false;
      return true;
    }
    if (st.record_seen && st.input_done && st.outbox_sent()) return true;
    const auto now = Clock::now();
    if (now >= deadline) {
      kill_at_deadline(st);
      return true;
    }
    st.refill_outbox();
    if (!move_bytes(st, deadline - now)) return true;
  }
}

bool Sandbox::move_bytes(RunState& st, Clock::duration left) {
  const bool writing = !st.outbox_sent();
  // The connection, and an interactive run's input channel when it waits for it.
  std::array<pollfd, 2> fds{pollfd{conn_.fd(), static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0},
                            pollfd{st.waiting_input_fd(), POLLIN, 0}};
  pollfd& p = fds[0];
  const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count();
  // Over TLS, decrypted bytes can wait where poll() cannot see them: look
  // often, and read without POLLIN too.
  const long long most_ms = conn_.buffers() ? 5 : 100;
  const nfds_t n = fds[1].fd >= 0 ? 2 : 1;
  if (::poll(fds.data(), n, static_cast<int>(std::clamp<long long>(left_ms, 0, most_ms))) < 0 && errno != EINTR) {
    const int e = errno;
    st.set_cause(HostCause::InternalError, "poll: " + errno_text(e), IeReason::ConnectionLost);
    usable_ = false;
    return false;
  }
  if (((p.revents & (POLLIN | POLLHUP | POLLERR)) || conn_.buffers()) && !receive(st)) return false;
  if (writing && (p.revents & POLLOUT)) return send_pending(st);
  return true;
}

bool Sandbox::receive(RunState& st) {
  // At most 16 chunks before the deadline and abort are looked at again.
  for (int i = 0; i < 16 && !st.record_seen; ++i) {
    std::size_t n = 0;
    const auto r = conn_.recv(st.inbuf.data(), st.inbuf.size(), n);
    if (r == RawConnection::Io::Again) return true;
    if (r != RawConnection::Io::Ok) {  // Closed or Error
      st.ended = true;
      return false;
    }
    on_stream_raw(std::string_view(st.inbuf.data(), n));
  }
  return true;
}

bool Sandbox::send_pending(RunState& st) {
  std::size_t n = 0;
  const auto r = conn_.send(std::string_view(st.outbox).substr(st.sent), n);
  if (r == RawConnection::Io::Ok) {
    st.sent += n;
  } else if (r != RawConnection::Io::Again) {
    // The container's stdin is gone: so is the supervisor.
    st.ended = true;
    return false;
  }
  return true;
}

void Sandbox::kill_at_deadline(RunState& st) {
  st.set_cause(HostCause::Deadline, "time limit exceeded (host watchdog)");
  usable_ = false;
  // Hang up first: the engine does not finish a kill while it is still
  // trying to hand output to an attach client.
  conn_.close();
  if (auto s = engine_.kill(container_.id()); !s) spdlog::warn("kill {}: {}", container_.id(), s.error().message);
}

void Sandbox::learn_how_it_ended(RunState& st) {
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

}  // namespace pyjudge::runner
