#include "runner/job/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "runner/shared/errno_text.h"
#include "runner/shared/random.h"

namespace pyjudge::runner {

namespace {

Status write_all(int fd, std::string_view data, const std::filesystem::path& shown) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + shown.string() + ": " + errno_text(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok();
}

Expected<UniqueFd> open_new(const std::filesystem::path& p) {
  UniqueFd fd(::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd) return fail("cannot create " + p.string() + ": " + errno_text(errno));
  return fd;
}

}  // namespace

Expected<std::string> read_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail("cannot read " + path.string() + ": " + errno_text(errno));
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n == 0) return out;
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot read " + path.string() + ": " + errno_text(errno));
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

std::filesystem::path temp_sibling(const std::filesystem::path& path) {
  return path.parent_path() / ("." + path.filename().string() + ".tmp-" + random_hex(8));
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const auto tmp = temp_sibling(path);
  {
    auto fd = open_new(tmp);
    if (!fd) return fd.error();
    if (auto s = write_all(fd->get(), content, tmp); !s) {
      ::unlink(tmp.c_str());
      return s;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text(errno);
    ::unlink(tmp.c_str());
    return fail("cannot rename into " + path.string() + ": " + why);
  }
  return ok();
}

Expected<CappedFile> CappedFile::create(const std::filesystem::path& final_path, std::int64_t cap) {
  CappedFile f;
  f.final_path_ = final_path;
  f.temp_path_ = temp_sibling(final_path);
  f.cap_ = cap;
  auto fd = open_new(f.temp_path_);
  if (!fd) return fd.error();
  f.fd_ = std::move(*fd);
  return f;
}

CappedFile::~CappedFile() {
  if (fd_ && !committed_) ::unlink(temp_path_.c_str());
}

CappedFile& CappedFile::operator=(CappedFile&& other) noexcept {
  if (this != &other) {
    if (fd_ && !committed_) ::unlink(temp_path_.c_str());
    final_path_ = std::move(other.final_path_);
    temp_path_ = std::move(other.temp_path_);
    fd_ = std::move(other.fd_);
    cap_ = other.cap_;
    seen_ = other.seen_;
    committed_ = other.committed_;
  }
  return *this;
}

Status CappedFile::write(std::string_view data) {
  const std::int64_t room = cap_ > seen_ ? cap_ - seen_ : 0;
  seen_ += static_cast<std::int64_t>(data.size());
  const auto keep = static_cast<std::size_t>(std::min<std::int64_t>(room, static_cast<std::int64_t>(data.size())));
  if (keep == 0) return ok();
  return write_all(fd_.get(), data.substr(0, keep), temp_path_);
}

Status CappedFile::commit() {
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    return fail("cannot rename into " + final_path_.string() + ": " + errno_text(errno));
  committed_ = true;
  fd_.reset();
  return ok();
}

}  // namespace pyjudge::runner
