#include "workdir.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace supervisor {

namespace {

namespace proto = pyjudge::protocol;

struct BundleSource {
  InChannel* in;
  std::uint64_t left;
  bool broken = false;
  std::string_view chunk;
};

la_ssize_t bundle_read(archive*, void* data, const void** buf) {
  auto* src = static_cast<BundleSource*>(data);
  if (src->left == 0 || src->broken) return 0;
  char type = 0;
  std::string_view payload;
  if (src->in->next(type, payload) != InChannel::Got::Frame || type != proto::to_supervisor::kBundle ||
      payload.size() > src->left) {
    src->broken = true;
    return -1;
  }
  src->left -= payload.size();
  src->chunk = payload;
  *buf = src->chunk.data();
  return static_cast<la_ssize_t>(src->chunk.size());
}

std::string write_entry(archive* a, const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + path + ": " + std::strerror(errno);
  std::string err;
  const void* block = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  for (;;) {
    const int r = archive_read_data_block(a, &block, &size, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK) {
      err = std::string("bad bundle: ") + archive_error_string(a);
      break;
    }
    const char* p = static_cast<const char*>(block);
    while (size > 0) {
      const ssize_t w = ::pwrite(fd, p, size, offset);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        err = "cannot write " + path + ": " + std::strerror(errno);
        break;
      }
      p += w;
      size -= static_cast<size_t>(w);
      offset += w;
    }
    if (!err.empty()) break;
  }
  ::close(fd);
  return err;
}

bool empty_at(int dirfd, int depth) {
  if (depth > 256) return false;
  DIR* d = ::fdopendir(dirfd);
  if (!d) {
    ::close(dirfd);
    return false;
  }
  bool ok = true;
  // Removing while iterating can skip entries: go round until a pass finds nothing.
  for (bool removed_any = true; removed_any;) {
    removed_any = false;
    ::rewinddir(d);
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      struct stat st {};
      if (::fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (S_ISDIR(st.st_mode)) {
        (void)!::fchmodat(dirfd, e->d_name, 0700, 0);  // the script may have locked it
        const int sub = ::openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0 || !empty_at(sub, depth + 1)) {
          ok = false;
          continue;
        }
        if (::unlinkat(dirfd, e->d_name, AT_REMOVEDIR) == 0)
          removed_any = true;
        else
          ok = false;
      } else if (::unlinkat(dirfd, e->d_name, 0) == 0) {
        removed_any = true;
      } else {
        ok = false;
      }
    }
    if (!ok) break;
  }
  ::closedir(d);
  return ok;
}

// The ids (second column) of a /proc/sysvipc table.
template <class F>
void for_each_ipc_id(const char* table, F&& f) {
  FILE* file = std::fopen(table, "re");
  if (!file) return;
  char line[512];
  if (!std::fgets(line, sizeof line, file)) {  // the header line
    std::fclose(file);
    return;
  }
  while (std::fgets(line, sizeof line, file)) {
    long key = 0;
    int id = -1;
    if (std::sscanf(line, "%ld %d", &key, &id) == 2 && id >= 0) f(id);
  }
  std::fclose(file);
}

}  // namespace

std::string unpack_bundle(InChannel& in, std::uint64_t bundle_bytes, const std::string& dir, bool& in_sync) {
  BundleSource src{&in, bundle_bytes, false, {}};
  std::string err;
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  if (archive_read_open(a, &src, nullptr, bundle_read, nullptr) != ARCHIVE_OK) {
    err = std::string("bad bundle: ") + archive_error_string(a);
  } else {
    archive_entry* e = nullptr;
    for (;;) {
      const int r = archive_read_next_header(a, &e);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK) {
        err = std::string("bad bundle: ") + archive_error_string(a);
        break;
      }
      const char* name = archive_entry_pathname(e);
      if (!name || archive_entry_filetype(e) != AE_IFREG || !pyjudge::protocol::is_plain_name(name)) {
        err = std::string("bad bundle member: ") + (name ? name : "?");
        break;
      }
      err = write_entry(a, dir + "/" + name);
      if (!err.empty()) break;
    }
  }
  archive_read_free(a);
  // Whatever happened, the rest of the bundle (tar padding, or all of it
  // after an error) is read, so the next frame is the run's input.
  while (!src.broken && src.left > 0) {
    const void* ignored = nullptr;
    if (bundle_read(nullptr, &src, &ignored) < 0) break;
  }
  in_sync = !src.broken;
  if (!in_sync && err.empty()) err = "the bundle was cut short";
  return err;
}

bool empty_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  return empty_at(fd, 0);
}

void remove_sysv_ipc() {
  for_each_ipc_id("/proc/sysvipc/shm", [](int id) { ::shmctl(id, IPC_RMID, nullptr); });
  for_each_ipc_id("/proc/sysvipc/sem", [](int id) { ::semctl(id, 0, IPC_RMID); });
  for_each_ipc_id("/proc/sysvipc/msg", [](int id) { ::msgctl(id, IPC_RMID, nullptr); });
}

}  // namespace supervisor
