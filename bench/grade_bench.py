#!/usr/bin/env python3
"""pyjudge grading benchmark: one warm container per submission against a
fresh container per test, and pyjudge batch against the engine's floor, in
one invocation on the same engine and image.

1. Grades S submissions x T tests (default 30 x 10) twice with `pyjudge grade`
   at the default --jobs: `--isolation submission` (the default: each
   submission's tests one after another in one container) and
   `--isolation test` (a fresh container per test). Prints runs/s, pyjudge's
   own CPU per run, and the largest resident set any container's supervisor
   (its PID 1) reached, read from the host's /proc while the grading ran.
   With --runtimes default,runsc the gradings repeat under each OCI runtime
   (runsc: gVisor, registered by scripts/setup.sh --with-gvisor).
2. Runs a batch of N independent jobs (default 200), one fresh container each,
   and the engine-floor client of bench.py (create -> start -> wait -> remove
   of `python3 -c pass` with the same isolation), at the same concurrency.

See bench/README.md for results and the machine they ran on.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (run_pyjudge, run_floor, make_workload, _UnixHTTP)

ROOT = bench.ROOT
SOLUTION = "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"
WRONG = "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()) + 1)\n"


def make_problem(work, tests):
    d = os.path.join(work, "problem")
    os.makedirs(os.path.join(d, "tests"))
    with open(os.path.join(d, "problem.json"), "w") as f:
        json.dump({"title": "Sum", "time_limit": 2, "memory": "256m"}, f)
    with open(os.path.join(d, "statement.md"), "w") as f:
        f.write("Print the sum of the numbers on stdin.\n")
    for t in range(1, tests + 1):
        nums = list(range(t * 100))
        with open(os.path.join(d, "tests", "%02d.in" % t), "w") as f:
            f.write(" ".join(map(str, nums)) + "\n")
        with open(os.path.join(d, "tests", "%02d.out" % t), "w") as f:
            f.write("%d\n" % sum(nums))
    return d


def make_submissions(work, n):
    d = os.path.join(work, "subs")
    os.makedirs(d)
    for i in range(n):
        with open(os.path.join(d, "s%03d.py" % i), "w") as f:
            f.write(WRONG if i % 10 == 9 else SOLUTION)
    return d


class SupervisorWatch(threading.Thread):
    """Samples VmHWM of every running pyjudge container's PID 1."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").replace("unix://", "")
        self.stop = threading.Event()
        self.max_kib = 0
        self.samples = 0

    def call(self, conn, path):
        conn.request("GET", "/v1.41" + path)
        r = conn.getresponse()
        return json.loads(r.read())

    def run(self):
        conn = bench._UnixHTTP(self.sock)
        seen = set()
        while not self.stop.is_set():
            try:
                for c in self.call(conn, '/containers/json?filters={"label":["org.pyjudge=1"]}'):
                    if c["Id"] in seen:
                        continue
                    pid = self.call(conn, "/containers/%s/json" % c["Id"])["State"].get("Pid", 0)
                    if pid:
                        seen.add(c["Id"])
                        threading.Thread(target=self.follow, args=(pid,), daemon=True).start()
            except Exception:  # the engine is busy; try again
                conn = bench._UnixHTTP(self.sock)
            time.sleep(0.05)

    def follow(self, pid):
        # VmHWM only grows: the last reading before the process goes is its peak.
        while not self.stop.is_set():
            try:
                with open("/proc/%d/status" % pid) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            self.max_kib = max(self.max_kib, int(line.split()[1]))
                            self.samples += 1
            except OSError:
                return
            time.sleep(0.02)


def busy_ms():
    """Machine CPU time spent so far (all processes, all cores), in ms."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) * 1000.0 / os.sysconf("SC_CLK_TCK")


def grade(binary, problem, subs, out, isolation, runtime="default"):
    shutil.rmtree(out, ignore_errors=True)
    cpu0 = busy_ms()
    t0 = time.monotonic()
    proc = subprocess.Popen([binary, "grade", problem, subs, "--out", out, "--isolation", isolation, "--quiet",
                             "--format", "json", "--runtime", runtime], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    machine = busy_ms() - cpu0
    err = proc.stderr.read().decode()
    report = json.load(open(os.path.join(out, "report.json")))
    verdicts = {s["submission"]: s["verdict"] for s in report["submissions"]}
    runs = sum(len(s["tests"]) for s in report["submissions"])
    return {"wall": wall, "runs": runs, "rate": runs / wall,
            "cpu_per_run_ms": (usage.ru_utime + usage.ru_stime) * 1000.0 / runs, "machine_ms": machine / runs,
            "verdicts": verdicts, "exit": os.waitstatus_to_exitcode(status), "stderr": err.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=30)
    ap.add_argument("--tests", type=int, default=10)
    ap.add_argument("--batch-jobs", type=int, default=200, help="jobs in the batch-vs-floor part (0: skip it)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved batch/floor rounds (default 3)")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "pyjudge"))
    ap.add_argument("--image", default="pyjudge-python")
    ap.add_argument("--runtimes", default="default",
                    help="comma-separated OCI runtimes to grade under (default: the engine's), e.g. default,runsc")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    jobs = 2 * cores  # pyjudge's default --jobs

    work = tempfile.mkdtemp(prefix="pyjudge-grade-bench-")
    try:
        problem = make_problem(work, args.tests)
        subs = make_submissions(work, args.submissions)
        print("grade bench: %d submissions x %d tests, --jobs %d (default), %s, %d cores" %
              (args.submissions, args.tests, jobs, args.image, cores))
        print("| runtime | isolation | runs | wall s | runs/s | machine cpu/run ms | pyjudge cpu/run ms |")
        print("|---|---|---|---|---|---|---|")
        notes = []
        for runtime in args.runtimes.split(","):
            watch = SupervisorWatch()
            watch.start()
            warm = grade(args.binary, problem, subs, os.path.join(work, "out-warm"), "submission", runtime)
            watch.stop.set()
            fresh = grade(args.binary, problem, subs, os.path.join(work, "out-fresh"), "test", runtime)
            if warm["verdicts"] != fresh["verdicts"]:
                print("the two isolation modes disagree:", warm["verdicts"], fresh["verdicts"], file=sys.stderr)
                return 1
            for name, r in (("submission (warm)", warm), ("test (fresh)", fresh)):
                print("| %s | %s | %d | %.2f | %.1f | %.1f | %.2f |" % (runtime, name, r["runs"], r["wall"], r["rate"],
                                                                       r["machine_ms"], r["cpu_per_run_ms"]),
                      flush=True)
            notes.append("%s: warm / fresh = %.2fx; supervisor peak RSS %.2f MiB (%d samples)" %
                         (runtime, warm["rate"] / fresh["rate"], watch.max_kib / 1024.0, watch.samples))
        print("\n".join(notes))

        if args.batch_jobs:
            # Interleaved rounds: on a shared machine one pair alone says little.
            jobs_file = bench.make_workload(os.path.join(work, "batch"), args.batch_jobs, bench.SUM, "sum")
            print("batch of %d fresh-container jobs at --jobs %d against the engine floor:" % (args.batch_jobs, jobs))
            print("| round | pyjudge j/s | machine cpu/job ms | floor j/s | machine cpu/job ms | pyjudge / floor |")
            print("|---|---|---|---|---|---|")
            ratios = []
            for rnd in range(1, args.rounds + 1):
                c0 = busy_ms()
                p = bench.run_pyjudge(args.binary, jobs_file, os.path.join(work, "out-batch"), jobs)
                c1 = busy_ms()
                f = bench.run_floor(args.image, args.batch_jobs, jobs)
                c2 = busy_ms()
                if p["ok"] != p["jobs"] or f["ok"] != f["jobs"]:
                    print("batch or floor jobs failed: %s" % p["stderr"], file=sys.stderr)
                    return 1
                ratios.append(p["rate"] / f["rate"])
                print("| %d | %.2f | %.0f | %.2f | %.0f | %.0f %% |" % (rnd, p["rate"], (c1 - c0) / args.batch_jobs,
                                                                  f["rate"], (c2 - c1) / args.batch_jobs,
                                                                  100.0 * ratios[-1]), flush=True)
            print("median pyjudge / floor = %.0f %%; pyjudge's own cpu/job %.2f ms" %
                  (100.0 * sorted(ratios)[len(ratios) // 2], p["cpu_per_job_ms"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
