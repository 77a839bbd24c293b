#include "judge/spool/inbox.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runner/shared/errno_text.h"

namespace pyjudge::judge {

Expected<Inbox> Inbox::open(const std::filesystem::path& inbox) {
  Inbox w;
  w.fd_.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!w.fd_) return fail(std::string("inotify: ") + errno_text(errno));
  if (::inotify_add_watch(w.fd_.get(), inbox.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0)
    return fail("cannot watch " + inbox.string() + ": " + errno_text(errno));
  return w;
}

std::vector<std::string> Inbox::read_names(bool& overflowed) {
  std::vector<std::string> names;
  alignas(inotify_event) char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t off = 0; off < n;) {
      // The kernel lays the events out aligned in buf; this is the one way to read them.
      const auto* ev =
          reinterpret_cast<const inotify_event*>(buf + off);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
      if (ev->mask & IN_Q_OVERFLOW) overflowed = true;
      if (ev->len > 0 && !(ev->mask & IN_ISDIR)) names.emplace_back(ev->name);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
  return names;
}

std::vector<std::string> list_names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void SettleQueue::note(const std::string& id, Clock::time_point now) {
  auto [it, fresh] = entries_.try_emplace(id, Entry{now + settle_, now});
  if (!fresh) it->second.due = now + settle_;
}

void SettleQueue::retry_at(const Due& d, Clock::time_point when) {
  auto [it, fresh] = entries_.try_emplace(d.id, Entry{when, d.first_seen});
  if (!fresh) it->second.due = std::max(it->second.due, when);
}

std::vector<SettleQueue::Due> SettleQueue::take_due(Clock::time_point now) {
  std::vector<Due> ready;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.due <= now) {
      ready.push_back({it->first, it->second.first_seen});
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  std::sort(ready.begin(), ready.end(), [](const Due& a, const Due& b) { return a.first_seen < b.first_seen; });
  return ready;
}

SettleQueue::Clock::time_point SettleQueue::next_due() const {
  auto best = Clock::time_point::max();
  for (const auto& [id, e] : entries_) best = std::min(best, e.due);
  return best;
}

}  // namespace pyjudge::judge
