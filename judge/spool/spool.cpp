#include "judge/spool/spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "runner/job/files.h"
#include "runner/job/job.h"
#include "runner/shared/errno_text.h"
#include "runner/shared/random.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status rename_noreplace(const fs::path& from, const fs::path& to) {
  // renameat2(RENAME_NOREPLACE): never overwrite what another claim made.
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0)
    return fail("cannot move " + from.string() + " to " + to.string() + ": " + errno_text(errno), errno);
  return ok();
}

}  // namespace

Expected<Spool> Spool::open(const fs::path& root) {
  Spool s(root);
  for (const auto& d : {s.inbox(), s.work(), s.results(), s.done(), s.rejected(), s.files()}) {
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec) return fail("cannot create " + d.string() + ": " + ec.message());
  }
  return s;
}

Spool::NameKind Spool::kind_of(const std::string& name, std::string& id) {
  if (name.empty() || name[0] == '.' || ends_with(name, ".tmp") || ends_with(name, ".part") || ends_with(name, "~"))
    return NameKind::Ignored;
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return NameKind::Invalid;
  id = name.substr(0, dot);
  const std::string ext = name.substr(dot);
  if (!runner::is_valid_id(id)) return NameKind::Invalid;
  if (ext == ".py") return NameKind::Script;
  if (ext == ".in") return NameKind::Stdin;
  if (ext == ".json") return NameKind::Json;
  return NameKind::Invalid;
}

Expected<bool> Spool::claim(const std::string& id) const {
  std::error_code ec;
  fs::path main = inbox() / (id + ".py");
  if (!fs::exists(main, ec)) main = inbox() / (id + ".json");
  if (!fs::exists(main, ec)) return false;
  const fs::path dir = work() / id;
  if (::mkdir(dir.c_str(), 0755) != 0) {
    if (errno == EEXIST) return false;
    return fail("cannot create " + dir.string() + ": " + errno_text(errno));
  }
  // The claim itself: one atomic rename. Whoever moves the main file owns
  // the job; a crash before it leaves an empty work/ID that recovery removes.
  if (auto s = rename_noreplace(main, dir / main.filename()); !s) {
    ::rmdir(dir.c_str());
    if (s.error().http_status == ENOENT) return false;
    return s.error();
  }
  adopt_companions(id);
  return true;
}

void Spool::adopt_companions(const std::string& id) const {
  for (const char* ext : {".py", ".in", ".json"}) {
    const fs::path from = inbox() / (id + ext);
    const fs::path to = work() / id / (id + ext);
    std::error_code ec;
    if (fs::exists(from, ec) && !fs::exists(to, ec)) (void)rename_noreplace(from, to);
  }
}

std::vector<std::string> Spool::claimed() const {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(work(), ec)) {
    const std::string id = e.path().filename().string();
    if (!e.is_directory(ec) || !runner::is_valid_id(id)) continue;
    if (fs::is_empty(e.path(), ec)) {
      fs::remove(e.path(), ec);  // a claim that crashed before its rename
      continue;
    }
    ids.push_back(id);
  }
  return ids;
}

bool Spool::has_result(const std::string& id) const {
  std::error_code ec;
  return fs::is_directory(results() / id, ec);
}

Expected<fs::path> Spool::temp_result_dir(const std::string& id) const {
  const fs::path p = results() / ("." + id + ".tmp-" + random_hex(6));
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec) return fail("cannot create " + p.string() + ": " + ec.message());
  return p;
}

Status Spool::commit_result(const fs::path& temp, const std::string& id) const {
  return rename_noreplace(temp, results() / id);
}

Status Spool::move_unique(const fs::path& from, const fs::path& dir) {
  const std::string name = from.filename().string();
  for (int n = 0; n < 1000; ++n) {
    const fs::path to = dir / (n == 0 ? name : name + "." + std::to_string(n));
    auto s = rename_noreplace(from, to);
    if (s || s.error().http_status != EEXIST) return s;
  }
  return fail("too many copies of " + name + " in " + dir.string());
}

Status Spool::move_claim(const std::string& id, const fs::path& to) const {
  std::error_code ec;
  const fs::path dir = work() / id;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (auto s = move_unique(e.path(), to); !s) return s;
  fs::remove(dir, ec);
  return ok();
}

Status Spool::finish(const std::string& id) const { return move_claim(id, done()); }

Status Spool::reject_claimed(const std::string& id, const std::string& reason) const {
  if (auto s = runner::write_file_atomic(rejected() / (id + ".reason.txt"), reason + "\n"); !s) return s;
  return move_claim(id, rejected());
}

Status Spool::reject_inbox_file(const std::string& name, const std::string& reason) const {
  if (auto s = runner::write_file_atomic(rejected() / (name + ".reason.txt"), reason + "\n"); !s) return s;
  return move_unique(inbox() / name, rejected());
}

int Spool::remove_stale_temps() const {
  int n = 0;
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(results(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos) doomed.push_back(e.path());
  }
  for (const auto& p : doomed) n += fs::remove_all(p, ec) > 0 ? 1 : 0;
  return n;
}

}  // namespace pyjudge::judge
