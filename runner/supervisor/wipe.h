// Wiping a directory tree of any depth: the script may leave directories
// nested tens of thousands deep in /tmp (mkdir relative to the last one never
// reaches PATH_MAX), so the walk is a loop, not a recursion, and it holds one
// directory open at a time (the container allows 1024 fds). It goes down by
// name and comes back up through "..", checking that ".." is the directory
// it came from; its memory is one name per level below `dir`.
//
// Header-only so that the host's unit tests build it without the rest of the
// supervisor (whose bundle unpacking needs the channel).
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace pyjudge::supervisor {

namespace wipe_detail {

struct CloseDir {
  void operator()(DIR* d) const { ::closedir(d); }
};
using Dir = std::unique_ptr<DIR, CloseDir>;

// Opens the directory `name` in `at` (or `at` itself for "."), never
// following a link; null when it cannot.
inline Dir open_dir(int at, const char* name) {
  const int fd = ::openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return nullptr;
  Dir d(::fdopendir(fd));
  if (!d) ::close(fd);
  return d;
}

struct DirId {
  dev_t dev = 0;
  ino_t ino = 0;
};

inline bool id_of(const Dir& d, DirId& id) {
  struct stat st {};
  if (::fstat(::dirfd(d.get()), &st) != 0) return false;
  id = {st.st_dev, st.st_ino};
  return true;
}

// A directory the walk went down into: its name in its parent, and the
// parent's identity, checked on the way back up.
struct Level {
  std::string name;
  DirId parent;
};

enum class Pass { Empty, Subdirectory, Failed };

// Removes the open directory's non-directories, going round until a pass
// removes nothing (removing while iterating can skip entries). Stops at the
// first subdirectory and names it in `sub`; Failed when something cannot be
// removed.
inline Pass remove_files(const Dir& d, std::string& sub) {
  const int fd = ::dirfd(d.get());
  for (bool removed_any = true; removed_any;) {
    removed_any = false;
    ::rewinddir(d.get());
    while (const dirent* e = ::readdir(d.get())) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      struct stat st {};
      if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone already
      if (S_ISDIR(st.st_mode)) {
        sub = e->d_name;
        return Pass::Subdirectory;
      }
      if (::unlinkat(fd, e->d_name, 0) != 0) return Pass::Failed;
      removed_any = true;
    }
  }
  return Pass::Empty;
}

// Into the subdirectory `sub` of `d`, made accessible first (the script may
// have locked it).
inline bool go_down(Dir& d, const std::string& sub, std::vector<Level>& path) {
  Level level{sub, {}};
  if (!id_of(d, level.parent)) return false;
  (void)!::fchmodat(::dirfd(d.get()), sub.c_str(), 0700, 0);
  Dir child = open_dir(::dirfd(d.get()), sub.c_str());
  if (!child) return false;
  path.push_back(std::move(level));
  d = std::move(child);
  return true;
}

// Back up to the parent of the emptied directory `d`, and removes it there.
inline bool go_up_and_remove(Dir& d, std::vector<Level>& path) {
  Dir parent = open_dir(::dirfd(d.get()), "..");
  DirId id;
  if (!parent || !id_of(parent, id) || id.dev != path.back().parent.dev || id.ino != path.back().parent.ino)
    return false;  // moved meanwhile: stop rather than wipe the wrong tree
  d = std::move(parent);
  const bool removed = ::unlinkat(::dirfd(d.get()), path.back().name.c_str(), AT_REMOVEDIR) == 0;
  path.pop_back();
  return removed;
}

}  // namespace wipe_detail

// Removes everything below `dir` (not `dir` itself), however deep, without
// following links, making unreadable folders readable first. False when
// something could not be removed (the container must not be reused); true
// when `dir` does not exist.
inline bool empty_directory(const std::string& dir) {
  using namespace wipe_detail;
  Dir d = open_dir(AT_FDCWD, dir.c_str());
  if (!d) return errno == ENOENT;
  std::vector<Level> path;  // from `dir` down to `d`
  for (;;) {
    std::string sub;
    switch (remove_files(d, sub)) {
      case Pass::Failed:
        return false;
      case Pass::Subdirectory:
        if (!go_down(d, sub, path)) return false;
        break;
      case Pass::Empty:
        if (path.empty()) return true;
        if (!go_up_and_remove(d, path)) return false;
        break;
    }
  }
}

}  // namespace pyjudge::supervisor
