#include "runner/sandbox/tar_bundle.h"

#include <archive.h>
#include <archive_entry.h>

#include <ctime>
#include <memory>

#include "runner/shared/protocol.h"

namespace pyjudge::runner {

namespace {

struct WriterDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct ReaderDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t append_to_string(archive* /*a*/, void* client, const void* buf, size_t n) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

bool plain_name(const std::string& n) {
  return !n.empty() && n.size() <= 100 && n.front() != '.' && n.find('/') == std::string::npos &&
         n.find('\0') == std::string::npos;
}

}  // namespace

Expected<std::string> build_tar(const std::vector<BundleFile>& files, bool paths) {
  std::string out;
  std::unique_ptr<archive, WriterDeleter> a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  // No padding to 10 KiB records: the stream's exact length goes in the header.
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open(a.get(), &out, nullptr, append_to_string, nullptr) != ARCHIVE_OK)
    return fail(std::string("tar: ") + archive_error_string(a.get()));
  const std::time_t now = std::time(nullptr);
  for (const auto& f : files) {
    if (paths ? !protocol::is_function_bundle_path(f.name) : !plain_name(f.name))
      return fail("tar: bad bundle file name '" + f.name + "'");
    std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), f.name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(f.content.size()));
    archive_entry_set_mtime(e.get(), now, 0);
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), f.content.data(), f.content.size()) != static_cast<la_ssize_t>(f.content.size()))
      return fail(std::string("tar: ") + archive_error_string(a.get()));
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return fail(std::string("tar: ") + archive_error_string(a.get()));
  return out;
}

}  // namespace pyjudge::runner
