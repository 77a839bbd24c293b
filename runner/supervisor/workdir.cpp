#include "runner/supervisor/workdir.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "runner/shared/errno_text.h"

namespace pyjudge::supervisor {

namespace {

namespace proto = pyjudge::protocol;

struct BundleSource {
  InChannel* in;
  std::uint64_t left;
  bool broken = false;
  std::string_view chunk;
};

la_ssize_t bundle_read(archive* /*a*/, void* data, const void** buf) {
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
  if (fd < 0) {
    const int e = errno;
    return "cannot create " + path + ": " + pyjudge::errno_text(e);
  }
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
        const int e = errno;
        err = "cannot write " + path + ": " + pyjudge::errno_text(e);
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

// The id on a line of a /proc/sysvipc table: its second field (the first is
// the key), or -1.
int ipc_id(const char* line) {
  const char* p = line + std::strspn(line, " ");
  p += std::strcspn(p, " ");  // past the key
  char* end = nullptr;
  errno = 0;
  const long id = std::strtol(p, &end, 10);
  if (end == p || errno != 0 || id < 0 || id > INT_MAX) return -1;
  return static_cast<int>(id);
}

// The ids of a /proc/sysvipc table.
template <class F>
void for_each_ipc_id(const char* table, F&& f) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(table, "re"), &std::fclose);
  if (!file) return;
  char line[512];
  if (!std::fgets(line, sizeof line, file.get())) return;  // the header line
  while (std::fgets(line, sizeof line, file.get())) {
    if (const int id = ipc_id(line); id >= 0) f(id);
  }
}

struct ReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

// The bundle's members, each a plain file, into `dir`: "" or what went wrong.
std::string unpack_members(archive* a, const std::string& dir) {
  archive_entry* e = nullptr;
  for (;;) {
    const int r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) return "";
    if (r != ARCHIVE_OK) return std::string("bad bundle: ") + archive_error_string(a);
    const char* name = archive_entry_pathname(e);
    if (!name || archive_entry_filetype(e) != AE_IFREG || !pyjudge::protocol::is_plain_name(name))
      return std::string("bad bundle member: ") + (name ? name : "?");
    if (std::string err = write_entry(a, dir + "/" + name); !err.empty()) return err;
  }
}

}  // namespace

std::string unpack_bundle(InChannel& in, std::uint64_t bundle_bytes, const std::string& dir, bool& in_sync) {
  BundleSource src{&in, bundle_bytes, false, {}};
  std::string err;
  {
    const std::unique_ptr<archive, ReadFree> a(archive_read_new());
    archive_read_support_format_tar(a.get());
    if (archive_read_open(a.get(), &src, nullptr, bundle_read, nullptr) != ARCHIVE_OK)
      err = std::string("bad bundle: ") + archive_error_string(a.get());
    else
      err = unpack_members(a.get(), dir);
  }
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

void remove_sysv_ipc() {
  for_each_ipc_id("/proc/sysvipc/shm", [](int id) { ::shmctl(id, IPC_RMID, nullptr); });
  for_each_ipc_id("/proc/sysvipc/sem", [](int id) { ::semctl(id, 0, IPC_RMID); });
  for_each_ipc_id("/proc/sysvipc/msg", [](int id) { ::msgctl(id, IPC_RMID, nullptr); });
}

}  // namespace pyjudge::supervisor
