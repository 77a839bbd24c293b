// The wire protocol between pyjudge (runner/) and its in-container supervisor
// (runner/supervisor/), defined once and shared by both sides. Header-only and
// free of dependencies, because the supervisor is a small static binary.
//
// Version 5, matched by the image label org.pyjudge.protocol=5.
//
// Both directions are a sequence of frames: one type byte, a 4-byte
// big-endian payload length (at most kMaxFramePayload), then the payload.
//
// Host -> supervisor (the container's stdin), for each run:
//   'R' RUN        payload: the run header (format_run_header).
//   'B' BUNDLE     chunks of a tar stream, BUNDLE_BYTES in all, whose plain
//                  files the supervisor unpacks into the emptied /tmp.
//   'I' INPUT      a chunk of the run's stdin.
//   'Z' INPUT_END  the run's stdin is complete (possibly cut short by the host
//                  once the run has ended).
//   EOF between runs ends the supervisor (exit 0).
// Supervisor -> host (the container's stdout):
//   'O' STDOUT / 'E' STDERR   the script's output, at most cap + 1 bytes of
//                  each stream per run (the host then knows the cap was passed).
//   'X' RECORD     NONCE, one space, then a flat JSON object (kRecordKeys):
//                  the last frame of every run.
// The container's stderr carries only the supervisor's own diagnostics.
//
// The script never holds the container's stdin or stdout: the supervisor
// relays through pipes, so a script cannot forge a frame. The nonce on the
// record is a second lock: it arrives before the script exists, and the
// supervisor is non-dumpable, so the script cannot read it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pyjudge::protocol {

inline constexpr int kVersion = 5;
inline constexpr const char* kSupervisorPath = "/opt/pyjudge/supervisor";
// The name the script gets inside the bundle (and in /tmp).
inline constexpr const char* kScriptName = "main.py";
inline constexpr std::size_t kFrameHeaderBytes = 5;
inline constexpr std::uint32_t kMaxFramePayload = 64 * 1024;
// Longest run header and record; longer ones are protocol errors.
inline constexpr std::size_t kMaxHeaderBytes = 512;

namespace to_supervisor {
inline constexpr char kRun = 'R';
inline constexpr char kBundle = 'B';
inline constexpr char kInput = 'I';
inline constexpr char kInputEnd = 'Z';
}  // namespace to_supervisor

namespace from_supervisor {
inline constexpr char kStdout = 'O';
inline constexpr char kStderr = 'E';
inline constexpr char kRecord = 'X';
}  // namespace from_supervisor

// Why the supervisor ended a run itself (the record's "cause"); the first
// one it saw wins.
namespace cause {
inline constexpr const char* kNone = "";
inline constexpr const char* kStdout = "stdout";      // passed the stdout cap
inline constexpr const char* kStderr = "stderr";      // passed the stderr cap
inline constexpr const char* kCpu = "cpu";            // passed the CPU-time limit
inline constexpr const char* kDeadline = "deadline";  // outlived limit + grace: timeout was defeated
inline constexpr const char* kMemory = "memory";      // stalled at its memory cap (runner/supervisor/memory_watch.h)
}  // namespace cause

// The record's "error_kind" when the run could not be made to happen: the
// judge's failure (IE), never the script's.
namespace error_kind {
inline constexpr const char* kLaunch = "launch";  // timeout or python3 could not be executed
inline constexpr const char* kSetup = "setup";    // the bundle could not be unpacked, /tmp not reset
}  // namespace error_kind

// The record's keys: "v", "rc", "signal", "wall_ns", "cpu_ns", "memory_peak",
// "oom_kills", "memory_cap_ns", "ended_ns", "cause", "error_kind", "error",
// "cgroup". ended_ns is CLOCK_MONOTONIC when timeout ended. rc
// and signal are those of coreutils timeout. cpu_ns is the rise of the
// container cgroup's CPU counter over the run (the supervisor's own share
// included); without a cgroup, getrusage of every process reaped during the
// run, summed. memory_peak is the larger of the largest process's peak
// resident set and the run's own memory sampled from the cgroup; oom_kills
// is the cgroup's counter's rise during the run; memory_cap_ns is when the
// run was first seen at its memory cap (memory_watch.h), in ns since it
// started; null where unknown.

// The limits one run carries, in integers so that no float formatting can
// round them on the way.
struct RunHeader {
  int version = kVersion;
  std::string nonce;  // [A-Za-z0-9]{8,64}
  std::uint64_t bundle_bytes = 0;
  std::string entry = kScriptName;
  std::int64_t wall_limit_ns = 0;
  std::int64_t kill_grace_ns = 0;
  std::int64_t cpu_limit_ns = 0;  // 0: none
  std::int64_t stdout_cap = 0;
  std::int64_t stderr_cap = 0;
};

inline void append_u32be(std::string& out, std::uint32_t n) {
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
}

// Appends one frame; the payload must not exceed kMaxFramePayload.
inline void append_frame(std::string& out, char type, std::string_view payload) {
  out.push_back(type);
  append_u32be(out, static_cast<std::uint32_t>(payload.size()));
  out.append(payload);
}

// "VERSION NONCE BUNDLE_BYTES ENTRY WALL_NS GRACE_NS CPU_NS STDOUT_CAP STDERR_CAP".
inline std::string format_run_header(const RunHeader& h) {
  std::string s = std::to_string(h.version);
  for (const std::string& f : {h.nonce, std::to_string(h.bundle_bytes), h.entry, std::to_string(h.wall_limit_ns),
                               std::to_string(h.kill_grace_ns), std::to_string(h.cpu_limit_ns),
                               std::to_string(h.stdout_cap), std::to_string(h.stderr_cap)}) {
    s.push_back(' ');
    s.append(f);
  }
  return s;
}

inline bool is_plain_name(std::string_view s) {
  if (s.empty() || s.size() > 255 || s[0] == '.') return false;
  return std::ranges::none_of(s, [](char c) { return c == '/' || c == '\0'; });
}

inline bool is_nonce(std::string_view s) {
  if (s.size() < 8 || s.size() > 64) return false;
  return std::ranges::all_of(
      s, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

namespace detail {
inline bool parse_i64(std::string_view s, std::int64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}
}  // namespace detail

// The inverse of format_run_header; false for anything malformed.
inline bool parse_run_header(std::string_view text, RunHeader& h) {
  std::string_view f[9];
  std::size_t n = 0;
  while (n < 9) {
    const auto sp = text.find(' ');
    f[n++] = text.substr(0, sp);
    if (sp == std::string_view::npos) {
      text = {};
      break;
    }
    text.remove_prefix(sp + 1);
  }
  if (n != 9 || !text.empty()) return false;
  std::int64_t v = 0;
  std::int64_t bundle = 0;
  if (!detail::parse_i64(f[0], v) || v != kVersion) return false;
  h.version = static_cast<int>(v);
  if (!is_nonce(f[1]) || !detail::parse_i64(f[2], bundle) || !is_plain_name(f[3])) return false;
  h.nonce = std::string(f[1]);
  h.bundle_bytes = static_cast<std::uint64_t>(bundle);
  h.entry = std::string(f[3]);
  return detail::parse_i64(f[4], h.wall_limit_ns) && detail::parse_i64(f[5], h.kill_grace_ns) &&
         detail::parse_i64(f[6], h.cpu_limit_ns) && detail::parse_i64(f[7], h.stdout_cap) &&
         detail::parse_i64(f[8], h.stderr_cap) && h.wall_limit_ns > 0;
}

// Function runs (docs/functions.md). The run header's ENTRY is
// "functions:MODULE" (grade the student's MODULE with the staff's tests) or
// "collect:MODULE" (only list the staff's tests), and the bundle's members are
// paths under staff/ (unpacked for the staff's uid, mode 0700) or work/ (the
// student's). The container starts as root with CAP_SETUID and CAP_SETGID
// only; the supervisor starts the staff's process as kStaffUid and then
// drops to kSandboxUid for good. Each test's student process gets the run
// header's cpu_limit_ns of CPU time and kTestWallPerCpu times that plus
// kTestWallExtraNs of wall time; its memory is the container's cap less
// kFunctionsHeadroomBytes (the staff's interpreter and the zygote).
inline constexpr const char* kFunctionsEntry = "functions:";
inline constexpr const char* kCollectEntry = "collect:";
inline constexpr unsigned kSandboxUid = 10001;
inline constexpr unsigned kStaffUid = 10002;
inline constexpr std::int64_t kFunctionsHeadroomBytes = 96LL << 20;
inline constexpr std::int64_t kTestWallPerCpu = 3;
inline constexpr std::int64_t kTestWallExtraNs = 2'000'000'000;
inline constexpr const char* kStaffDir = "/tmp/staff";
inline constexpr const char* kWorkDir = "/tmp/work";
inline constexpr const char* kHarnessDir = "/opt/pyjudge/harness";

// A warm script container with a zygote (README.md, "The zygote"): the
// container starts as root with CAP_SETUID, CAP_SETGID and CAP_SETPCAP only
// and its supervisor is given kZygoteArg. It starts the zygote (kZygoteScript) as
// root, then drops to kSandboxUid for good; each run's process is a fork
// of the zygote that drops to kSandboxUid before any of the script runs.
inline constexpr const char* kZygoteArg = "--zygote";
inline constexpr const char* kZygoteScript = "/opt/pyjudge/harness/zygote.py";

// A Python module name: [A-Za-z_][A-Za-z0-9_]*, at most 64 characters.
inline bool is_module_name(std::string_view s) {
  if (s.empty() || s.size() > 64 || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::ranges::all_of(
      s, [](char c) { return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// The module of a function run's entry, or "" when the entry is a script's.
inline std::string_view functions_module(std::string_view entry, bool& collect) {
  for (const char* prefix : {kFunctionsEntry, kCollectEntry}) {
    const std::string_view p(prefix);
    if (entry.substr(0, p.size()) == p && is_module_name(entry.substr(p.size()))) {
      collect = prefix == kCollectEntry;
      return entry.substr(p.size());
    }
  }
  return {};
}

// A function run's bundle member: staff/... or work/..., each part a plain
// name (no "..", no leading dot), at most 8 parts deep.
inline bool is_function_bundle_path(std::string_view s) {
  if (s.size() > 1024) return false;
  std::size_t parts = 0;
  std::string_view first;
  while (true) {
    const auto slash = s.find('/');
    const std::string_view part = s.substr(0, slash);
    if (!is_plain_name(part) || ++parts > 8) return false;
    if (parts == 1) first = part;
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  return parts >= 2 && (first == "staff" || first == "work");
}

// Incremental frame parser: bytes in, whole frames out, however the stream
// is cut. pop() consumes from `data` until one frame is complete and returns
// it (its payload valid until the next call), or returns false having
// consumed all of `data`.
class FrameReader {
 public:
  enum class Result { Frame, NeedMore, Oversized };

  Result pop(std::string_view& data, char& type, std::string_view& payload) {
    while (!data.empty()) {
      if (have_header_ < kFrameHeaderBytes) {
        const std::size_t take = std::min(kFrameHeaderBytes - have_header_, data.size());
        for (std::size_t i = 0; i < take; ++i) header_[have_header_++] = static_cast<unsigned char>(data[i]);
        data.remove_prefix(take);
        if (have_header_ < kFrameHeaderBytes) break;
        want_ = (std::uint32_t{header_[1]} << 24) | (std::uint32_t{header_[2]} << 16) |
                (std::uint32_t{header_[3]} << 8) | std::uint32_t{header_[4]};
        if (want_ > kMaxFramePayload) return Result::Oversized;
        payload_.clear();
      }
      const std::size_t take = std::min<std::size_t>(want_ - payload_.size(), data.size());
      payload_.append(data.substr(0, take));
      data.remove_prefix(take);
      if (payload_.size() == want_) {
        have_header_ = 0;
        type = static_cast<char>(header_[0]);
        payload = payload_;
        return Result::Frame;
      }
    }
    return Result::NeedMore;
  }
  // True when no frame is half-read.
  bool at_boundary() const { return have_header_ == 0; }

 private:
  unsigned char header_[kFrameHeaderBytes] = {};
  std::size_t have_header_ = 0;
  std::uint32_t want_ = 0;
  std::string payload_;
};

}  // namespace pyjudge::protocol
