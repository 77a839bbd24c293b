// Sandbox: one running container whose supervisor runs jobs one after
// another over a single attach connection, each run with its own stdin,
// limits, capped output files and record. Owns the container: destroying a
// Sandbox force-removes it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "runner/engine/engine.h"
#include "runner/engine/raw_connection.h"
#include "runner/engine/stream_demux.h"
#include "runner/job/files.h"
#include "runner/job/job.h"
#include "runner/job/verdict.h"
#include "runner/sandbox/byte_channel.h"
#include "runner/sandbox/container_spec.h"
#include "runner/sandbox/owned_container.h"
#include "runner/sandbox/seccomp.h"
#include "runner/shared/protocol.h"

namespace pyjudge::runner {

class Sandbox {
 public:
  // Creates, attaches to and starts a container with `limits`' container-
  // level caps (memory, CPU quota, pids, /tmp). `engine` is not owned and
  // must outlive the Sandbox.
  static Expected<std::unique_ptr<Sandbox>> open(Engine& engine, const std::string& image, const Limits& limits,
                                                 const std::map<std::string, std::string>& labels,
                                                 const std::string& name, Seccomp seccomp = Seccomp::Pyjudge,
                                                 ContainerRole role = ContainerRole::Script);
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  Sandbox(Sandbox&&) = delete;
  Sandbox& operator=(Sandbox&&) = delete;
  // Ends a usable container gracefully (its stdin closed, the supervisor
  // exits), which costs the engine less than killing a running one; then
  // removes it.
  ~Sandbox();

  struct Outcome {
    Observation obs;
    double wall_s = 0;  // measured inside when the record came, else by the host
    bool interrupted = false;
  };
  // An interactive run's streams (not owned): its stdin from `input`
  // instead of the job's stdin file, as bytes arrive, until it closes; and
  // its stdout also into `output`.
  struct Links {
    ByteChannel* input = nullptr;
    ByteChannel* output = nullptr;
  };
  // One run of `job` (script, files, stdin, per-run limits); its output goes
  // into `out` and `err` (not owned). Polls `should_abort` while it runs.
  Outcome run(const Job& job, CappedFile& out, CappedFile& err, const std::function<bool()>& should_abort,
              const Links& links);
  Outcome run(const Job& job, CappedFile& out, CappedFile& err, const std::function<bool()>& should_abort) {
    return run(job, out, err, should_abort, Links{});
  }

  // False once a run left the container untrustworthy or gone (the
  // supervisor died, the stream broke, the host had to kill it): the
  // remaining runs need a fresh Sandbox.
  bool usable() const { return usable_; }
  const Limits& limits() const { return limits_; }
  const std::string& image() const { return image_; }
  // Usable, and made for what `job` needs of its container: the same
  // container-level limits, and the job's image (`run_image` when it names
  // none).
  bool can_take(const Job& job, const std::string& run_image) const {
    return usable_ && limits_.same_container_limits(job.limits) && image_ == job.image_or(run_image);
  }
  const std::string& id() const { return container_.id(); }
  int runs() const { return runs_; }

 private:
  Sandbox(Engine& engine, std::string id, std::string image, Limits limits);
  struct RunState;
  using Clock = std::chrono::steady_clock;

  // The steps of run(), in order: the job's input goes in and its output and
  // record come out until `deadline` (false: should_abort said stop); then,
  // when the stream closed with no record, the engine says how it ended.
  void run_attached(const Job& job, RunState& st, const std::function<bool()>& should_abort);
  bool exchange(RunState& st, Clock::time_point deadline, const std::function<bool()>& should_abort);
  void learn_how_it_ended(RunState& st);
  // exchange()'s parts: one wait on the connection, then what can move both
  // ways (false: stop exchanging); and the host watchdog's kill.
  bool move_bytes(RunState& st, Clock::duration left);
  bool receive(RunState& st);
  bool send_pending(RunState& st);
  void kill_at_deadline(RunState& st);

  void on_stream_raw(std::string_view data);
  void on_stream(StreamId s, std::string_view data);
  void on_frame(char type, std::string_view payload);

  Engine& engine_;
  OwnedContainer container_;
  std::string image_;
  Limits limits_;
  RawConnection conn_;
  StreamDemux demux_;
  protocol::FrameReader frames_;
  std::string stream_leftover_;  // bytes read with the attach answer
  std::string diagnostics_;      // the supervisor's own stderr, capped
  RunState* run_ = nullptr;      // the run in progress, while run() is on the stack
  bool usable_ = true;
  int runs_ = 0;
};

}  // namespace pyjudge::runner
