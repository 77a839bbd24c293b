// The hostile-script suite (tests/hostile/): every attack gets its exact
// verdict, stays within its time, leaves nothing behind, and the judge stays
// healthy after it.
#include <doctest/doctest.h>

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "judge/worker_pool.h"
#include "runner/engine/engine_capacity.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
namespace fs = std::filesystem;

namespace {

struct Case {
  std::string name;
  std::vector<std::string> expect;
  // Under gVisor, when SECURITY.md documents a different outcome.
  std::vector<std::string> expect_runsc;
  Limits limits;
  std::size_t stdin_bytes = 0;
  bool has_stdin = false;
  std::optional<int> exit_code, signal;
  std::optional<std::size_t> stdout_bytes;
  std::optional<double> cpu_at_least;
  std::vector<std::string> stdout_has, stdout_lacks, stderr_has;
};

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

void apply(Case& c, const std::string& key, const std::string& value) {
  if (key == "expect")
    c.expect = words(value);
  else if (key == "expect-runsc")
    c.expect_runsc = words(value);
  else if (key == "limits") {
    for (const auto& kv : words(value)) {
      const auto eq = kv.find('=');
      REQUIRE_MESSAGE(eq != std::string::npos, c.name << ": bad limits entry " << kv);
      auto s = set_limit(c.limits, kv.substr(0, eq), kv.substr(eq + 1));
      REQUIRE_MESSAGE(bool(s), c.name << ": " << (s ? "" : s.error().message));
    }
  } else if (key == "stdin-bytes") {
    c.stdin_bytes = std::stoul(value);
    c.has_stdin = true;
  } else if (key == "exit")
    c.exit_code = std::stoi(value);
  else if (key == "signal")
    c.signal = std::stoi(value);
  else if (key == "stdout-bytes")
    c.stdout_bytes = std::stoul(value);
  else if (key == "cpu-at-least")
    c.cpu_at_least = std::stod(value);
  else if (key == "stdout-has")
    c.stdout_has.push_back(value);
  else if (key == "stdout-lacks")
    c.stdout_lacks.push_back(value);
  else if (key == "stderr-has")
    c.stderr_has.push_back(value);
  else
    FAIL(c.name << ": unknown directive " << key);
}

std::vector<Case> load_cases() {
  const fs::path dir = PYJUDGE_HOSTILE;
  const auto manifest = nlohmann::json::parse(slurp(dir / "manifest.json"));
  std::vector<Case> cases;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".py") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    Case c;
    c.name = f.filename().string();
    std::ifstream in(f);
    for (std::string line; std::getline(in, line) && line.rfind("# ", 0) == 0;) {
      const auto colon = line.find(": ");
      if (colon == std::string::npos) continue;
      const std::string key = line.substr(2, colon - 2);
      if (key.find(' ') != std::string::npos) continue;  // prose, not a directive
      apply(c, key, line.substr(colon + 2));
    }
    if (manifest.contains(c.name))
      for (const auto& [k, v] : manifest[c.name].items()) apply(c, k, v.is_string() ? v.get<std::string>() : v.dump());
    REQUIRE_MESSAGE(!c.expect.empty(), c.name << " has no expected verdict");
    cases.push_back(std::move(c));
  }
  return cases;
}

// Paths under `dir` (three levels deep), leaving out the `skip` folders.
std::set<std::string> entries(const fs::path& dir, const std::set<fs::path>& skip = {}) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (skip.count(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (it.depth() > 2) it.disable_recursion_pending();
    out.insert(it->path().string());
  }
  return out;
}

// Host processes of the sandbox user (uid 10001): there must be none after a job.
int sandbox_processes() {
  int n = 0;
  DIR* d = ::opendir("/proc");
  if (!d) return -1;
  while (dirent* e = ::readdir(d)) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    std::ifstream st(std::string("/proc/") + e->d_name + "/status");
    for (std::string line; std::getline(st, line);)
      if (line.rfind("Uid:", 0) == 0) {
        if (words(line).size() > 1 && words(line)[1] == "10001") ++n;
        break;
      }
  }
  ::closedir(d);
  return n;
}

// The verdict and the outputs the case's header asks for.
void check_outcome(const Case& c, const JobResult& r, const std::string& out, const std::string& err) {
  const std::string verdict(to_string(r.verdict));
  CHECK_MESSAGE(std::find(c.expect.begin(), c.expect.end(), verdict) != c.expect.end(),
                "got " << verdict << " (" << r.message << ")");
  CHECK(r.status() == status_of(r.verdict));
  if (c.exit_code) CHECK(r.exit_code == c.exit_code);
  if (c.signal) CHECK(r.signal == c.signal);
  if (c.stdout_bytes) CHECK(out.size() == *c.stdout_bytes);
  if (c.cpu_at_least) CHECK_MESSAGE(r.cpu_time.value_or(0) >= *c.cpu_at_least, "cpu_time " << r.cpu_time.value_or(-1));
  for (const auto& s : c.stdout_has) CHECK_MESSAGE(out.find(s) != std::string::npos, "stdout lacks '" << s << "'");
  for (const auto& s : c.stdout_lacks) CHECK_MESSAGE(out.find(s) == std::string::npos, "stdout has '" << s << "'");
  for (const auto& s : c.stderr_has) CHECK_MESSAGE(err.find(s) != std::string::npos, "stderr lacks '" << s << "'");
  // The supervisor's own deadline is limit + grace + 0.25 s; a little more
  // for a loaded machine.
  CHECK(r.wall_time <= c.limits.wall_limit_s + c.limits.kill_grace_s + 1.0);
}

}  // namespace

TEST_SUITE("engine/hostile") {
  TEST_CASE("every hostile script is contained") {
    ::setenv("PYJUDGE_TEST_SECRET", "s3cr3t-value", 1);
    auto& env = engine_env();
    const auto cases = load_cases();
    CHECK(cases.size() >= 35);
    const fs::path out = env.scratch / "out";
    for (const auto& c : cases) {
      CAPTURE(c.name);
      const std::string id = "hostile-" + fs::path(c.name).stem().string();
      // The scratch folder holds the inputs this test writes and the results.
      const std::set<fs::path> ours = {out, env.scratch / "inputs"};
      const auto host_tmp_before = entries("/tmp", {env.scratch});
      const auto scratch_before = entries(env.scratch, ours);

      const std::string code = slurp(fs::path(PYJUDGE_HOSTILE) / c.name);
      std::optional<std::string> in;
      if (c.has_stdin) in = std::string(c.stdin_bytes, 'n');
      const auto r = run_script(id, code, in, c.limits);
      check_outcome(c, r.result, r.out, r.err);
      CHECK(r.host_seconds <= c.limits.wall_limit_s + c.limits.kill_grace_s + 3.0);

      CHECK(count_containers({{kLabelJob, id}}) == 0);
      CHECK(sandbox_processes() == 0);
      CHECK(entries("/tmp", {env.scratch}) == host_tmp_before);
      CHECK(entries(env.scratch, ours) == scratch_before);
      REQUIRE(bool(env.engine.ping()));
      const auto hello = run_script("hostile-after", "print('hello')\n");
      CHECK_MESSAGE(hello.result.verdict == Verdict::OK, "after " << c.name << ": " << hello.result.message);
      CHECK(hello.out == "hello\n");
    }
    ::unsetenv("PYJUDGE_TEST_SECRET");
  }

  TEST_CASE("every hostile script is contained when they all share containers, each followed by a clean run") {
    ::setenv("PYJUDGE_TEST_SECRET", "s3cr3t-value", 1);
    auto& env = engine_env();
    const auto cases = load_cases();
    auto ep = endpoint_from_env();
    REQUIRE(bool(ep));
    // Case, then a check that the container the case ran in is clean again.
    std::vector<Job> jobs;
    for (const auto& c : cases) {
      const std::string stem = fs::path(c.name).stem().string();
      Job j;
      j.id = "warm-" + stem;
      j.script = fs::path(PYJUDGE_HOSTILE) / c.name;
      if (c.has_stdin) j.stdin_file = write_file(j.id + ".in", std::string(c.stdin_bytes, 'n'));
      j.limits = c.limits;
      j.group = "hostile";
      Job after = j;
      after.id = "warm-after-" + stem;
      // What is left beside this run: not PID 1, not its parent (the zygote,
      // or timeout), not its process group (timeout and a zygote client).
      after.script = write_file("warm-after.py", R"(
import os
def group(p):
    try:
        return os.getpgid(p)
    except OSError:
        return None
others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid())
          and group(int(p)) != os.getpgrp()]
print(sorted(os.listdir('/tmp')), os.listdir('/dev/shm'), others)
)");
      after.stdin_file.reset();
      jobs.push_back(std::move(j));
      jobs.push_back(std::move(after));
    }
    std::vector<const Job*> ptrs;
    for (const auto& j : jobs) ptrs.push_back(&j);
    std::vector<JobResult> results(jobs.size());
    {
      judge::WorkerPool pool(1, *ep);
      pool.submit([&] {
        pool.run_group_with_retries(
            ptrs, RunContext{env.image, env.scratch / "out", env.session, 1, {}, Seccomp::Pyjudge, zygote_mode()}, 0,
            [&](std::size_t i, const JobResult& r) { results[i] = r; });
      });
      pool.wait();
    }
    for (std::size_t k = 0; k < cases.size(); ++k) {
      const auto& c = cases[k];
      CAPTURE(c.name);
      const auto& r = results[2 * k];
      const fs::path dir = env.scratch / "out" / jobs[2 * k].id;
      check_outcome(c, r, slurp(dir / "stdout"), slurp(dir / "stderr"));
      const auto& after = results[2 * k + 1];
      CHECK_MESSAGE(after.verdict == Verdict::OK, "after " << c.name << ": " << after.message);
      CHECK(slurp(env.scratch / "out" / jobs[2 * k + 1].id / "stdout") == "['main.py'] [] []\n");
    }
    CHECK(count_containers({{kLabelSession, env.session.id}}) == 0);
    CHECK(sandbox_processes() == 0);
    REQUIRE(bool(env.engine.ping()));
    ::unsetenv("PYJUDGE_TEST_SECRET");
  }

  TEST_CASE("under gVisor (runsc) every hostile script is contained, with the verdicts SECURITY.md states") {
    ::setenv("PYJUDGE_TEST_SECRET", "s3cr3t-value", 1);
    auto& env = engine_env();
    const auto cap = engine_capacity(env.engine);
    REQUIRE(bool(cap));
    REQUIRE_MESSAGE(std::find(cap->runtimes.begin(), cap->runtimes.end(), "runsc") != cap->runtimes.end(),
                    "the engine has no runtime runsc: run scripts/setup.sh --with-gvisor");
    for (auto c : load_cases()) {
      CAPTURE(c.name);
      c.limits.runtime = "runsc";
      const std::string id = "hostile-runsc-" + fs::path(c.name).stem().string();
      const std::string code = slurp(fs::path(PYJUDGE_HOSTILE) / c.name);
      std::optional<std::string> in;
      if (c.has_stdin) in = std::string(c.stdin_bytes, 'n');
      const auto r = run_script(id, code, in, c.limits);
      if (c.expect_runsc.empty()) {
        check_outcome(c, r.result, r.out, r.err);
      } else {  // a documented difference: the verdict only
        const std::string verdict(to_string(r.result.verdict));
        CHECK_MESSAGE(std::find(c.expect_runsc.begin(), c.expect_runsc.end(), verdict) != c.expect_runsc.end(),
                      "got " << verdict << " (" << r.result.message << ")");
      }
      CHECK(r.host_seconds <= c.limits.wall_limit_s + c.limits.kill_grace_s + 3.0);
      CHECK(count_containers({{kLabelJob, id}}) == 0);
      CHECK(sandbox_processes() == 0);
      REQUIRE(bool(env.engine.ping()));
    }
    ::unsetenv("PYJUDGE_TEST_SECRET");
  }
}
