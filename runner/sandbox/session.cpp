#include "runner/sandbox/session.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "runner/shared/random.h"

namespace pyjudge::runner {

std::string process_start_ticks(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return "";
  // The command name (field 2) may hold spaces and parentheses: skip past
  // its last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  for (int i = 3; i <= 22 && (fields >> f); ++i) {
    if (i == 22) return f;
  }
  return "";
}

Session Session::current() {
  Session s;
  s.id = random_hex(6);
  s.pid = static_cast<long>(::getpid());
  s.start = process_start_ticks(s.pid);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  s.host = host;
  return s;
}

std::map<std::string, std::string> Session::labels(const std::string& job_id) const {
  return {{kLabelOwned, "1"},   {kLabelSession, id}, {kLabelJob, job_id}, {kLabelPid, std::to_string(pid)},
          {kLabelStart, start}, {kLabelHost, host}};
}

bool owner_is_gone(const std::map<std::string, std::string>& labels, const std::string& this_host) {
  const auto get = [&](const char* k) {
    const auto it = labels.find(k);
    return it == labels.end() ? std::string() : it->second;
  };
  if (get(kLabelHost) != this_host) return false;  // another machine's: not ours to judge
  long pid = 0;
  try {
    pid = std::stol(get(kLabelPid));
  } catch (...) {
    return true;  // unreadable owner: nobody can be using it
  }
  const std::string now = process_start_ticks(pid);
  return now.empty() || now != get(kLabelStart);
}

}  // namespace pyjudge::runner
