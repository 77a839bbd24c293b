#include "runner/supervisor/record.h"

#include "runner/shared/protocol.h"

namespace pyjudge::supervisor {

namespace {

void json_string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out.append("\\u00");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

void json_number(std::string& out, const char* key, std::optional<std::int64_t> v) {
  out.append(",\"").append(key).append("\":");
  out.append(v ? std::to_string(*v) : "null");
}

}  // namespace

std::string format_record(const std::string& nonce, const RunRecord& r) {
  std::string out = nonce + " {\"v\":" + std::to_string(pyjudge::protocol::kVersion);
  json_number(out, "rc", r.rc);
  json_number(out, "signal", r.signal);
  json_number(out, "wall_ns", r.wall_ns);
  json_number(out, "cpu_ns", r.cpu_ns);
  json_number(out, "memory_peak", r.memory_peak);
  json_number(out, "oom_kills", r.oom_kills);
  json_number(out, "memory_cap_ns", r.memory_cap_ns);
  json_number(out, "ended_ns", r.ended_ns);
  for (const auto& [key, value] : {std::pair<const char*, const std::string&>{"cause", r.cause},
                                   {"error_kind", r.error_kind},
                                   {"error", r.error},
                                   {"cgroup", r.cgroup}}) {
    out.append(",\"").append(key).append("\":");
    json_string(out, value);
  }
  out += r.reusable ? ",\"reusable\":true}" : ",\"reusable\":false}";
  return out;
}

}  // namespace pyjudge::supervisor
