#include "runner/sandbox/seccomp.h"

#include <nlohmann/json.hpp>

#include "runner/sandbox/seccomp_profile.h"

namespace pyjudge::runner {

std::optional<Seccomp> seccomp_from_string(std::string_view name) {
  if (name == "pyjudge") return Seccomp::Pyjudge;
  if (name == "default") return Seccomp::EngineDefault;
  return std::nullopt;
}

std::string_view to_string(Seccomp mode) { return mode == Seccomp::Pyjudge ? "pyjudge" : "default"; }

bool is_gvisor(std::string_view runtime) { return runtime.starts_with("runsc") || runtime.starts_with("gvisor"); }

namespace {

std::string gvisor_profile() {
  auto profile = nlohmann::json::parse(kPyjudgeSeccompProfile);
  for (auto& rule : profile["syscalls"])
    if (rule["names"] == nlohmann::json::array({"clone3"})) {
      rule["action"] = "SCMP_ACT_ALLOW";
      rule.erase("errnoRet");
      rule["comment"] = "gVisor: clone3 is served by the Sentry, and an EPERM would leave glibc without threads";
    }
  return profile.dump();
}

}  // namespace

const std::string& pyjudge_seccomp_profile(bool gvisor) {
  static const std::string profile(kPyjudgeSeccompProfile);
  static const std::string for_gvisor = gvisor_profile();
  return gvisor ? for_gvisor : profile;
}

std::vector<std::string> security_opts(Seccomp mode, std::string_view runtime) {
  std::vector<std::string> opts{"no-new-privileges"};
  // The API takes the profile itself, not a path: the engine may be remote.
  if (mode == Seccomp::Pyjudge) opts.push_back("seccomp=" + pyjudge_seccomp_profile(is_gvisor(runtime)));
  return opts;
}

}  // namespace pyjudge::runner
