#include "runner/supervisor/workdir.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/fsuid.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
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

std::string write_entry(archive* a, const std::string& path, mode_t mode = 0644) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
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

// A function run's member (staff/... or work/...): its folders made and the
// file written as the uid that will own it (setfsuid needs CAP_SETUID, which
// the supervisor holds until the run's processes have started), the staff's
// unreadable to anyone else.
std::string write_function_member(archive* a, const std::string& dir, const std::string& name) {
  const bool staff = name.compare(0, 6, "staff/") == 0;
  const unsigned uid = staff ? pyjudge::protocol::kStaffUid : pyjudge::protocol::kSandboxUid;
  ::setfsgid(uid);
  ::setfsuid(uid);
  if (static_cast<unsigned>(::setfsuid(uid)) != uid) return "cannot take the files' owner (setfsuid)";
  std::string err;
  for (std::size_t slash = name.find('/'); slash != std::string::npos && err.empty();
       slash = name.find('/', slash + 1)) {
    const std::string sub = dir + "/" + name.substr(0, slash);
    if (::mkdir(sub.c_str(), staff ? 0700 : 0755) != 0 && errno != EEXIST) {
      const int e = errno;
      err = "cannot create " + sub + ": " + pyjudge::errno_text(e);
    }
  }
  if (err.empty()) err = write_entry(a, dir + "/" + name, staff ? 0600 : 0644);
  ::setfsuid(0);
  ::setfsgid(0);
  return err;
}

// The bundle's members into `dir`: "" or what went wrong. A script run's are
// plain files; a function run's are paths under staff/ and work/.
std::string unpack_members(archive* a, const std::string& dir, bool functions) {
  archive_entry* e = nullptr;
  for (;;) {
    const int r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) return "";
    if (r != ARCHIVE_OK) return std::string("bad bundle: ") + archive_error_string(a);
    const char* name = archive_entry_pathname(e);
    const bool good =
        name && (functions ? pyjudge::protocol::is_function_bundle_path(name) : pyjudge::protocol::is_plain_name(name));
    if (!good || archive_entry_filetype(e) != AE_IFREG) return std::string("bad bundle member: ") + (name ? name : "?");
    std::string err = functions ? write_function_member(a, dir, name) : write_entry(a, dir + "/" + name);
    if (!err.empty()) return err;
  }
}

}  // namespace

std::string unpack_bundle(InChannel& in, std::uint64_t bundle_bytes, const std::string& dir, bool& in_sync,
                          bool functions) {
  BundleSource src{&in, bundle_bytes, false, {}};
  std::string err;
  {
    const std::unique_ptr<archive, ReadFree> a(archive_read_new());
    archive_read_support_format_tar(a.get());
    if (archive_read_open(a.get(), &src, nullptr, bundle_read, nullptr) != ARCHIVE_OK)
      err = std::string("bad bundle: ") + archive_error_string(a.get());
    else
      err = unpack_members(a.get(), dir, functions);
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
