// The seccomp profile a container runs under: pyjudge's own allowlist
// (runner/sandbox/seccomp/pyjudge.json, built into the binary) or the engine's
// default profile. Running without one is not offered.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pyjudge::runner {

enum class Seccomp { Pyjudge, EngineDefault };

// "pyjudge" or "default"; anything else (including "unconfined") is nullopt.
std::optional<Seccomp> seccomp_from_string(std::string_view name);
std::string_view to_string(Seccomp mode);

// True for a runtime registered under a gVisor name ("runsc...", "gvisor...").
bool is_gvisor(std::string_view runtime);

// pyjudge's profile, the JSON text of runner/sandbox/seccomp/pyjudge.json. Under
// gVisor the Sentry enforces it (runsc --oci-seccomp) and answers every
// refused call with EPERM, ignoring a rule's own errno; clone3's ENOSYS rule
// then becomes an allow, or glibc could start no thread. Under gVisor a
// clone3 reaches the Sentry, never the host kernel.
const std::string& pyjudge_seccomp_profile(bool gvisor = false);

// The HostConfig.SecurityOpt entries for a container under `mode` and
// `runtime` (empty: the engine's default).
std::vector<std::string> security_opts(Seccomp mode, std::string_view runtime = {});

}  // namespace pyjudge::runner
