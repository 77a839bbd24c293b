// The wire protocol with images/python/supervise.py: the header that opens
// the container's stdin, the marker that introduces its report on stderr, and
// the parsing of that report. Version 2 matches the image label
// org.pyjudge.protocol=2.
#pragma once

#include <string>

#include "expected.h"
#include "job_limits.h"
#include "verdict.h"

namespace pyjudge {

inline constexpr int kProtocolVersion = 2;
// The name the script gets inside the bundle (and /tmp) in the container.
inline constexpr const char* kScriptName = "main.py";

// "pyjudge VERSION NONCE BUNDLE_BYTES ENTRY TIME_LIMIT KILL_GRACE\n".
std::string make_header(const std::string& nonce, std::size_t bundle_bytes, const Limits& limits);
// "\x1epyjudge:" NONCE ":" — what precedes the record on stderr.
std::string record_marker(const std::string& nonce);
Expected<SupervisorRecord> parse_record(const std::string& text);

}  // namespace pyjudge
