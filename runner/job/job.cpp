#include "runner/job/job.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "runner/shared/errno_text.h"
#include "runner/shared/protocol.h"

namespace pyjudge::runner {

namespace {

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

Status check_readable_file(const std::filesystem::path& p, std::string_view what) {
  const std::string name = std::string(what) + " '" + p.string() + "'";
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return fail(name + ": " + errno_text(errno));
  if (S_ISDIR(st.st_mode)) return fail(name + " is a directory, not a file");
  if (!S_ISREG(st.st_mode)) return fail(name + " is not a regular file");
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(name + ": " + errno_text(errno));
  ::close(fd);
  return ok();
}

}  // namespace

std::filesystem::path result_dir_of(const std::filesystem::path& out, const Job& job) {
  return out / (job.result_dir.empty() ? std::filesystem::path(job.id) : job.result_dir);
}

std::string Job::entry() const {
  if (!function_run()) return protocol::kScriptName;
  return std::string(collect ? protocol::kCollectEntry : protocol::kFunctionsEntry) + module;
}

std::string id_from_stem(const std::string& stem, std::size_t max) {
  std::string s;
  for (char c : stem) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    s += ok ? c : '_';
  }
  if (s.empty() || !is_valid_id(s.substr(0, 1))) s = "s" + s;
  return s.substr(0, max);
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '.' || id.front() == '_' || id.front() == '-') return false;
  return std::ranges::all_of(id, id_char);
}

Status validate(const Job& job) {
  if (!is_valid_id(job.id))
    return fail("bad id '" + job.id + "' (use 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
  if (auto s = check_readable_file(job.script, "script"); !s) return s;
  std::error_code ec;
  if (std::filesystem::file_size(job.script, ec) > static_cast<std::uintmax_t>(kMaxScriptBytes))
    return fail("script '" + job.script.string() + "' is larger than 16m");
  if (job.stdin_file)
    if (auto s = check_readable_file(*job.stdin_file, "stdin file"); !s) return s;
  if (job.function_run()) {
    if (!protocol::is_module_name(job.module)) return fail("bad module name '" + job.module + "'");
    if (job.stdin_file) return fail("a function run reads no stdin file");
  }
  for (const auto& [name, path] : job.files) {
    const bool good = job.function_run() ? protocol::is_function_bundle_path(name) : protocol::is_plain_name(name);
    if (!good) return fail("bad bundle file name '" + name + "'");
  }
  if (auto s = validate(job.limits); !s) return s;
  // The script (and any bundled files) are unpacked into /tmp, with room to spare.
  std::uintmax_t bundle = std::filesystem::file_size(job.script, ec);
  if (ec) return fail("script '" + job.script.string() + "': " + ec.message());
  for (const auto& [name, path] : job.files) {
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return fail("file '" + path.string() + "': " + ec.message());
    bundle += size;
  }
  const auto room = static_cast<std::uintmax_t>(job.limits.tmp_bytes);
  if (bundle + std::min<std::uintmax_t>(64 << 10, room / 8) > room)
    return fail("script '" + job.script.string() + "' does not fit in the " + format_size(job.limits.tmp_bytes) +
                " /tmp (raise --tmp-size)");
  return ok();
}

}  // namespace pyjudge::runner
