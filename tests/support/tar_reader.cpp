#include "tests/support/tar_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace pyjudge::testing {

namespace {
struct ReaderDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
}  // namespace

Expected<std::vector<runner::BundleFile>> read_tar(const std::string& tar) {
  std::unique_ptr<archive, ReaderDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_memory(a.get(), tar.data(), tar.size()) != ARCHIVE_OK)
    return fail(std::string("tar: ") + archive_error_string(a.get()));
  std::vector<runner::BundleFile> files;
  archive_entry* e = nullptr;
  int r = 0;
  while ((r = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
    runner::BundleFile f{archive_entry_pathname(e), {}};
    char buf[8192];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) f.content.append(buf, static_cast<std::size_t>(n));
    if (n < 0) return fail(std::string("tar: ") + archive_error_string(a.get()));
    files.push_back(std::move(f));
  }
  if (r != ARCHIVE_EOF) return fail(std::string("tar: ") + archive_error_string(a.get()));
  return files;
}

}  // namespace pyjudge::testing
