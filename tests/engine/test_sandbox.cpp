// Many runs in one container (runner/sandbox/sandbox.h) against the real engine:
// each run starts clean, each run's figures are its own, a failed launch is
// IE, and a broken container hands the remaining runs to a fresh one.
#include <doctest/doctest.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "judge/worker_pool.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
namespace fs = std::filesystem;

namespace {

Job make_job(const std::string& id, const std::string& code, const std::optional<std::string>& in = {},
             Limits limits = {}) {
  Job j;
  j.id = id;
  j.script = write_file(id + ".py", code);
  if (in) j.stdin_file = write_file(id + ".in", *in);
  j.limits = limits;
  return j;
}

// Warm containers fork their runs from a zygote, as pyjudge's own are by
// default; PYJUDGE_TEST_NO_ZYGOTE=1 (ctest's engine-exec) runs the same
// tests with exec per run.
RunContext context() {
  auto& env = engine_env();
  return RunContext{env.image, env.scratch / "out", env.session, 1, {}, Seccomp::Pyjudge, zygote_mode()};
}

struct Warm {
  std::unique_ptr<Sandbox> sandbox;
  Warm() {
    auto s = open_sandbox(engine_env().engine, make_job("warm-open", "pass\n"), context());
    REQUIRE_MESSAGE(bool(s), (s ? "" : s.error().message));
    sandbox = std::move(*s);
  }
  JobResult run(const Job& j) { return run_job_in(sandbox.get(), "", j, context()); }
  std::string out(const Job& j) { return slurp(context().out_dir / j.id / "stdout"); }
};

// The host pid of a container's PID 1 (its supervisor).
int supervisor_pid(const std::string& container) {
  auto j = engine_env().engine.inspect_container(container);
  REQUIRE(bool(j));
  return (*j)["State"].value("Pid", 0);
}

// Builds `tag` FROM the runner image with `command` run as root.
void derived_image(const std::string& tag, const std::string& command) {
  const std::string cmd = "printf 'FROM " + engine_env().image + "\\nUSER root\\nRUN " + command +
                          "\\nUSER 10001:10001\\n' | DOCKER_BUILDKIT=0 docker build -q -t " + tag +
                          " - >/dev/null 2>&1";
  REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "could not build " << tag);
}

}  // namespace

TEST_SUITE("engine/sandbox") {
  TEST_CASE("files in /tmp and /dev/shm and System V IPC objects do not reach the next run") {
    Warm w;
    const auto dirty = make_job("iso-dirty", R"(
import ctypes, os
open('/tmp/left', 'w').write('x')
os.mkdir('/tmp/d'); open('/tmp/d/f', 'w').write('y'); os.chmod('/tmp/d', 0)
open('/dev/shm/left', 'w').write('z')
libc = ctypes.CDLL(None)
shmid = libc.shmget(0x1234, 4096, 0o1600)
print('made', shmid >= 0)
)");
    const auto check = make_job("iso-check", R"(
import os
print(sorted(os.listdir('/tmp')), sorted(os.listdir('/dev/shm')))
print(len(open('/proc/sysvipc/shm').read().splitlines()) - 1)
)");
    const auto r1 = w.run(dirty);
    CHECK_MESSAGE(r1.verdict == Verdict::OK, r1.message);
    CHECK(w.out(dirty) == "made True\n");
    const auto r2 = w.run(check);
    CHECK_MESSAGE(r2.verdict == Verdict::OK, r2.message);
    CHECK(w.out(check) == "['main.py'] []\n0\n");
    CHECK(w.sandbox->usable());
    CHECK(w.sandbox->runs() == 2);
  }

  TEST_CASE("a detached, double-forked process of one run is gone in the next") {
    Warm w;
    const auto daemon = make_job("iso-daemon", R"(
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            open('/tmp/alive', 'w').write(str(time.time()))
            time.sleep(0.01)
    os._exit(0)
time.sleep(0.2)
print('started')
)");
    const auto check = make_job("iso-daemon-check", R"(
import os, time
time.sleep(0.2)
mine = {1, os.getpid(), os.getppid()}
def group(p):
    try:
        return os.getpgid(p)
    except OSError:
        return None
# Beside PID 1 and the parent (timeout, or the zygote): only this run's own
# process group (timeout and a zygote client).
others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in mine and group(int(p)) != os.getpgrp()]
print(others, os.path.exists('/tmp/alive'))
)");
    CHECK(w.run(daemon).verdict == Verdict::OK);
    CHECK(w.out(daemon) == "started\n");
    CHECK(w.run(check).verdict == Verdict::OK);
    CHECK(w.out(check) == "[] False\n");
  }

  TEST_CASE("MLE on test 2, then AC on tests 3 and 4, in the same container") {
    Warm w;
    Limits l;
    l.memory_bytes = 64LL << 20;
    const auto ok = make_job("iso-mle-ok", "print(sum(range(1000)))\n", {}, l);
    const auto hog = make_job("iso-mle-hog", "x = bytearray(256 << 20)\nprint(len(x))\n", {}, l);
    CHECK(w.run(ok).verdict == Verdict::OK);
    const auto r2 = w.run(hog);
    CHECK_MESSAGE(r2.verdict == Verdict::MLE, r2.message);
    for (int i = 0; i < 2; ++i) {
      const auto r = w.run(ok);
      CHECK_MESSAGE(r.verdict == Verdict::OK, r.message);
      CHECK(w.out(ok) == "499500\n");
    }
    CHECK(w.sandbox->usable());
    CHECK(w.sandbox->runs() == 4);
  }

  TEST_CASE("an earlier run's MLE never turns a later run's TLE into MLE (the first cause is per run)") {
    Warm w;
    Limits l;
    l.memory_bytes = 128LL << 20;
    l.wall_limit_s = 3;
    l.kill_grace_s = 0.2;
    const auto bomb = make_job("cause-bomb", "c = []\nwhile True: c.append(bytearray(50 << 20))\n", {}, l);
    // Holds a modest amount, then spins past the limit.
    const auto spin = make_job("cause-spin", "x = bytearray(20 << 20)\nwhile True: pass\n", {}, l);
    const auto r1 = w.run(bomb);
    CHECK_MESSAGE(r1.verdict == Verdict::MLE, r1.message);
    const auto r2 = w.run(spin);
    CHECK_MESSAGE(r2.verdict == Verdict::TLE, r2.message);
    const auto r3 = w.run(bomb);
    CHECK_MESSAGE(r3.verdict == Verdict::MLE, r3.message);
    const auto r4 = w.run(spin);
    CHECK_MESSAGE(r4.verdict == Verdict::TLE, r4.message);
    CHECK(w.sandbox->runs() == 4);
  }

  TEST_CASE("every run starts with the same limits, nice value and affinity, and PID 1 keeps its own") {
    Warm w;
    // What a run starts with, and what PID 1 has (its limits and nice value
    // are readable in /proc although it is not dumpable).
    const auto probe = make_job("pid1-probe", R"(
import os, resource
names = sorted(n for n in dir(resource) if n.startswith('RLIMIT_'))
print([(n, resource.getrlimit(getattr(resource, n))) for n in names])
print(os.getpriority(os.PRIO_PROCESS, 0), sorted(os.sched_getaffinity(0)))
print(open('/proc/1/limits').read())
print(open('/proc/1/stat').read().rsplit(')', 1)[1].split()[16])
)");
    const auto attack = make_job("pid1-attack", slurp(fs::path(PYJUDGE_HOSTILE) / "pid1_limits.py"));
    const auto r1 = w.run(probe);
    REQUIRE_MESSAGE(r1.verdict == Verdict::OK, r1.message);
    const std::string before = w.out(probe);
    CHECK(before.find("Max cpu time") != std::string::npos);
    const auto r2 = w.run(attack);
    CHECK_MESSAGE(r2.verdict == Verdict::OK, r2.message);
    CHECK(w.out(attack).find("CHANGED") == std::string::npos);
    CHECK(w.out(attack).find("untouched") != std::string::npos);
    const auto r3 = w.run(probe);
    CHECK_MESSAGE(r3.verdict == Verdict::OK, r3.message);
    CHECK(w.out(probe) == before);
    CHECK(w.sandbox->runs() == 3);
    CHECK(w.sandbox->usable());
  }

  TEST_CASE("TLE on test 1, then AC on tests 2 to 4, in the same container") {
    Warm w;
    Limits l;
    l.wall_limit_s = 0.5;
    l.kill_grace_s = 0.2;
    const auto spin = make_job("iso-tle-spin", "while True: pass\n", {}, l);
    const auto ok = make_job("iso-tle-ok", "import sys\nprint(sys.stdin.read().upper(), end='')\n", "abc\n", l);
    const auto r1 = w.run(spin);
    CHECK_MESSAGE(r1.verdict == Verdict::TLE, r1.message);
    for (int i = 0; i < 3; ++i) {
      const auto r = w.run(ok);
      CHECK_MESSAGE(r.verdict == Verdict::OK, r.message);
      CHECK(w.out(ok) == "ABC\n");
    }
    CHECK(w.sandbox->runs() == 4);
    CHECK(w.sandbox->usable());
  }

  TEST_CASE("each run's peak memory is its own") {
    Warm w;
    const auto big =
        make_job("iso-peak-big", "x = bytearray(100 << 20)\nx[::4096] = b'x' * len(x[::4096])\nprint('ok')\n");
    const auto small = make_job("iso-peak-small", "print('ok')\n");
    const auto r1 = w.run(big);
    const auto r2 = w.run(small);
    REQUIRE(r1.memory_peak);
    REQUIRE(r2.memory_peak);
    CHECK(*r1.memory_peak >= (100LL << 20));
    CHECK(*r2.memory_peak < (40LL << 20));
    CHECK(r2.cpu_time.value_or(1) < r1.cpu_time.value_or(0) + 1);
  }

  TEST_CASE("an output flood is that run's OLE and the next run is clean") {
    Warm w;
    Limits l;
    l.stdout_limit_bytes = 1000;
    const auto flood = make_job("iso-ole", "import sys\nwhile True: sys.stdout.write('x' * 4096)\n", {}, l);
    const auto ok = make_job("iso-ole-ok", "print('fine')\n", {}, l);
    const auto r1 = w.run(flood);
    CHECK_MESSAGE(r1.verdict == Verdict::OLE, r1.message);
    CHECK(r1.stdout_truncated);
    CHECK(w.out(flood).size() == 1000);
    const auto r2 = w.run(ok);
    CHECK(r2.verdict == Verdict::OK);
    CHECK(w.out(ok) == "fine\n");
    CHECK(w.sandbox->usable());
  }

  TEST_CASE("the CPU-time limit is TLE; sleeping does not count against it") {
    Warm w;
    Limits l;
    l.wall_limit_s = 10;
    l.cpu_time_limit_s = 0.5;
    const auto spin = make_job("cpu-spin", "while True: pass\n", {}, l);
    const auto sleeper = make_job("cpu-sleep", "import time\ntime.sleep(1.0)\nprint('rested')\n", {}, l);
    const auto r1 = w.run(spin);
    CHECK_MESSAGE(r1.verdict == Verdict::TLE, r1.message);
    CHECK(r1.message.find("CPU") != std::string::npos);
    CHECK(r1.status() == 124);
    CHECK(r1.wall_time < 5.0);
    const auto r2 = w.run(sleeper);
    CHECK_MESSAGE(r2.verdict == Verdict::OK, r2.message);
    CHECK(w.out(sleeper) == "rested\n");
  }

  TEST_CASE("a supervisor killed from outside: that run is IE, the container is not used again") {
    Warm w;
    const auto ok = make_job("killsup-ok", "print('a')\n");
    CHECK(w.run(ok).verdict == Verdict::OK);
    const int pid = supervisor_pid(w.sandbox->id());
    REQUIRE(pid > 1);
    REQUIRE(::kill(pid, SIGKILL) == 0);
    const auto r = w.run(ok);
    CHECK(r.verdict == Verdict::IE);
    CHECK(r.ie_reason != IeReason::None);
    CHECK_FALSE(w.sandbox->usable());
  }

  TEST_CASE("a killed supervisor moves the remaining tests to a fresh container") {
    auto& env = engine_env();
    auto ep = endpoint_from_env();
    REQUIRE(bool(ep));
    judge::WorkerPool pool(1, *ep);
    std::vector<Job> jobs = {make_job("moved-1", "print(1)\n"),
                             make_job("moved-2", "import time\nprint(2, flush=True)\ntime.sleep(1.5)\n"),
                             make_job("moved-3", "print(3)\n"), make_job("moved-4", "print(4)\n")};
    std::vector<const Job*> ptrs;
    for (auto& j : jobs) {
      j.group = "moved";
      ptrs.push_back(&j);
    }
    std::vector<JobResult> results(jobs.size());
    std::atomic<bool> first_done{false};
    std::thread killer([&] {
      while (!first_done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::this_thread::sleep_for(std::chrono::milliseconds(500));  // job 2 is sleeping now
      Engine e(*ep);
      auto list = e.list_containers({{kLabelSession, env.session.id}, {kLabelJob, "moved-1"}});
      REQUIRE(bool(list));
      REQUIRE(list->size() == 1);
      ::kill(supervisor_pid((*list)[0]["Id"].get<std::string>()), SIGKILL);
    });
    pool.submit([&] {
      pool.run_group_with_retries(ptrs, context(), 2, [&](std::size_t i, const JobResult& r) {
        results[i] = r;
        if (i == 0) first_done = true;
      });
    });
    pool.wait();
    killer.join();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      CAPTURE(i);
      CHECK_MESSAGE(results[i].verdict == Verdict::OK, results[i].message);
      CHECK(slurp(context().out_dir / jobs[i].id / "stdout") == std::to_string(i + 1) + "\n");
    }
    CHECK(results[0].attempts == 1);
    CHECK(results[1].attempts == 2);  // IE in the broken container, then OK in a fresh one
    CHECK(count_containers({{kLabelSession, env.session.id}, {kLabelJob, "moved-1"}}) == 0);
    CHECK(count_containers({{kLabelSession, env.session.id}, {kLabelJob, "moved-2"}}) == 0);
  }

  TEST_CASE("when python3 or timeout cannot be launched, the run is IE, never RE 126/127") {
    auto& env = engine_env();
    derived_image("pyjudge-test-nopython", "rm -f /usr/bin/python3 /usr/bin/python3.11");
    derived_image("pyjudge-test-notimeout", "rm -f /usr/bin/timeout");
    for (const std::string image : {"pyjudge-test-nopython", "pyjudge-test-notimeout"}) {
      CAPTURE(image);
      RunContext ctx{image, env.scratch / "out", env.session, 1, {}};
      const auto job = make_job("launch-" + image.substr(13), "print('never')\n");
      const auto r = run_job(env.engine, job, ctx);
      CHECK(r.verdict == Verdict::IE);
      CHECK(r.ie_reason == IeReason::LaunchFailed);
      CHECK_FALSE(r.exit_code);
      CHECK(r.message.find(std::string(image).find("python") != std::string::npos ? "python3" : "timeout") !=
            std::string::npos);
    }
    CHECK(std::system("docker rmi -f pyjudge-test-nopython pyjudge-test-notimeout >/dev/null 2>&1") == 0);
  }

  TEST_CASE("an unreadable stdin file is IE input_error and is not retried") {
    auto ep = endpoint_from_env();
    REQUIRE(bool(ep));
    judge::WorkerPool pool(1, *ep);
    Job job = make_job("input-gone", "print(input())\n");
    job.stdin_file = engine_env().scratch / "inputs" / "no-such-stdin.in";
    JobResult r;
    pool.submit([&] { r = pool.run_with_retries(job, context(), 2); });
    pool.wait();
    CHECK(r.verdict == Verdict::IE);
    CHECK(r.ie_reason == IeReason::InputError);
    CHECK(r.attempts == 1);
    CHECK(r.message.find("no-such-stdin.in") != std::string::npos);
  }
}
