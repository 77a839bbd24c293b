// The host's side of the supervisor protocol (runner/shared/protocol.h): the run
// header made from a job's limits, and the parsing of a run's record.
#pragma once

#include <string>
#include <string_view>

#include "runner/job/job_limits.h"
#include "runner/job/verdict.h"
#include "runner/shared/expected.h"
#include "runner/shared/protocol.h"

namespace pyjudge::runner {

inline constexpr int kProtocolVersion = protocol::kVersion;

// The RUN frame's payload for one run of the script.
std::string make_run_header(const std::string& nonce, std::size_t bundle_bytes, const Limits& limits,
                            const std::string& entry = protocol::kScriptName);
// A RECORD frame's payload ("NONCE {json}"); fails on a foreign nonce or
// anything malformed.
Expected<SupervisorRecord> parse_record(std::string_view payload, std::string_view nonce);

}  // namespace pyjudge::runner
