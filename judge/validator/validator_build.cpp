#include "judge/validator/validator_build.h"

#include <cstdlib>
#include <sstream>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "judge/formats/validator_program.h"
#include "judge/validator/build.h"
#include "runner/job/files.h"
#include "runner/shared/sha256.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// The build's own limits: room for a heavy template library, and for the
// program on stdout.
runner::Limits build_limits() {
  runner::Limits l;
  l.wall_limit_s = 180;
  l.memory_bytes = 2LL << 30;
  l.stdout_limit_bytes = 64LL << 20;
  l.stderr_limit_bytes = 1LL << 20;
  l.tmp_bytes = 512LL << 20;
  l.pids = 64;
  return l;
}

std::string env_or(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before any thread sets one
  return v ? std::string(v) : std::string();
}

// The first lines of a file that may be missing.
std::string read_or_empty(const fs::path& p) {
  auto t = runner::read_file(p);
  return t ? *t : std::string();
}

// The program in the cache, atomically and executable; false when the cache
// cannot take it (the build's own copy is used then).
bool store(const fs::path& built, const fs::path& cached) {
  std::error_code ec;
  fs::create_directories(cached.parent_path(), ec);
  if (ec) {
    spdlog::warn("cannot create the build cache {}: {}", cached.parent_path().string(), ec.message());
    return false;
  }
  const fs::path tmp = runner::temp_sibling(cached);
  fs::copy_file(built, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::permissions(tmp, fs::perms(0755), ec);
  if (!ec) fs::rename(tmp, cached, ec);
  if (ec) {
    spdlog::warn("cannot write {} into the build cache: {}", cached.string(), ec.message());
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

// Why a build that ran did not give a program; the program's fault unless
// the judge failed (IE).
BuildResult failed_build(const runner::JobResult& r, const fs::path& dir) {
  BuildResult b;
  b.program_fault = r.verdict != runner::Verdict::IE;
  switch (r.verdict) {
    case runner::Verdict::TLE:
      b.message = fmt::format("its build took longer than {:g} s", r.limits.wall_limit_s);
      break;
    case runner::Verdict::MLE:
      b.message = "its build ran out of its " + runner::format_size(r.limits.memory_bytes) + " of memory";
      break;
    case runner::Verdict::OLE:
      b.message = "the built program is larger than " + runner::format_size(r.limits.stdout_limit_bytes);
      break;
    case runner::Verdict::IE:
      b.message = "the build could not run: " + r.message;
      break;
    default:
      b.message = "it does not compile: " + compiler_message(read_or_empty(dir / "stderr"));
  }
  return b;
}

}  // namespace

fs::path default_cache_dir() {
  if (auto d = env_or("PYJUDGE_CACHE_DIR"); !d.empty()) return d;
  if (auto d = env_or("XDG_CACHE_HOME"); !d.empty()) return fs::path(d) / "pyjudge";
  if (auto d = env_or("HOME"); !d.empty()) return fs::path(d) / ".cache" / "pyjudge";
  return "/var/tmp/pyjudge-cache";
}

Expected<std::string> build_key(const ValidatorProgram& program, const CompilerOptions& compiler) {
  Sha256 h;
  // Each piece with its length before it: no two lists of pieces hash alike.
  const auto piece = [&h](std::string_view s) { h.update(std::to_string(s.size())).update(":").update(s); };
  piece("pyjudge validator build 1");
  piece(kValidatorBuildScript);
  piece(compiler.image);
  piece(compiler.image_id);
  for (const auto& f : program.files) {
    auto content = runner::read_file(f);
    if (!content) return content.error();
    piece(f.filename().string());
    piece(*content);
  }
  return h.hex();
}

BuildResult build_validator(const ValidatorProgram& program, const CompilerOptions& compiler, const fs::path& out,
                            const JobsRunner& run) {
  BuildResult b;
  auto key = build_key(program, compiler);
  if (!key) {
    b.program_fault = true;
    b.message = key.error().message;
    return b;
  }
  const fs::path cache = compiler.cache_dir.empty() ? default_cache_dir() : compiler.cache_dir;
  const fs::path cached = cache / "validators" / *key;
  std::error_code ec;
  if (fs::is_regular_file(cached, ec)) {
    b.program = BuiltProgram{cached, compiler.image, true};
    return b;
  }
  runner::Job job;
  job.id = "validator-build-" + key->substr(0, 16);
  job.result_dir = fs::path(".pyjudge") / job.id;
  job.image = compiler.image;
  job.limits = build_limits();
  const fs::path work = out / ".pyjudge";
  fs::create_directories(work, ec);
  job.script = work / "validator_build.py";
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& f : program.files) {
    job.files.emplace_back(f.filename().string(), f);
    if (is_c_source(f)) sources.push_back(f.filename().string());
  }
  const fs::path spec = work / ("validator-build-" + key->substr(0, 16) + ".json");
  Status s = runner::write_file_atomic(job.script, kValidatorBuildScript);
  if (s) s = runner::write_file_atomic(spec, nlohmann::json{{"sources", sources}}.dump() + "\n");
  if (!s) {
    b.message = s.error().message;
    return b;
  }
  job.files.emplace_back(kValidatorSpecName, spec);
  BatchOutcome o = run({job});
  b.signal = o.signal;
  if (o.signal != 0) return b;
  if (!o.error.empty() || o.entries.empty() || o.entries.front().state != EntryState::Done) {
    b.message = o.error.empty() ? "the build did not run" : o.error;
    return b;
  }
  const runner::JobResult& r = o.entries.front().result;
  const fs::path dir = runner::result_dir_of(out, job);
  if (r.verdict != runner::Verdict::OK) return failed_build(r, dir);
  const std::string head = read_or_empty(dir / "stdout").substr(0, 4);
  if (head !=
      "\x7f"
      "ELF") {
    b.message = "the build gave no program (" + compiler_message(read_or_empty(dir / "stderr")) + ")";
    return b;
  }
  const bool kept = store(dir / "stdout", cached);
  b.program = BuiltProgram{kept ? cached : dir / "stdout", compiler.image, false};
  return b;
}

std::string compiler_message(const std::string& stderr_text, std::size_t max_lines) {
  std::vector<std::string> all;
  std::vector<std::string> errors;
  std::istringstream in(stderr_text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line.size() > 300) line = line.substr(0, 300) + "...";
    if (line.find("error") != std::string::npos) errors.push_back(line);
    all.push_back(line);
  }
  const auto& pick = errors.empty() ? all : errors;
  std::string out;
  for (std::size_t i = 0; i < pick.size() && i < max_lines; ++i) out += (out.empty() ? "" : "\n") + pick[i];
  if (pick.size() > max_lines) out += fmt::format("\n({} more lines)", pick.size() - max_lines);
  return out.empty() ? "the compiler said nothing" : out;
}

}  // namespace pyjudge::judge
