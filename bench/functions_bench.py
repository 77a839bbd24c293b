#!/usr/bin/env python3
"""pyjudge function-grading benchmark (issue 22): the same checks graded as
test functions (one warm container per submission: the staff's pytest
process and a zygote that imported the student's module once, forked per
test) and as stdin tests (one warm container per submission, each test
`python3 main.py < NN.in`), in one invocation on the same engine and image.

1. Throughput. S submissions (default 30) are graded with `pyjudge grade` at
   its default --jobs, in R interleaved rounds (default 3; the order of the
   two alternates from round to round, so machine noise hits both):
   - functions: a problem of kind "functions", module `adder`, whose staff
     file tests/test_add.py holds T (default 20) pytest functions, each one
     `assert add(a, b) == c`; the submission is `def add(a, b): return a + b`;
   - stdin: a problem of T tests, each feeding two numbers and expecting
     their sum; the submission reads stdin and prints the sum.
   Every tenth submission is wrong in both (WA). Rate = test runs (S x T)
   per second of the whole `pyjudge grade` (the functions problem's
   collection run included). For each grading it prints the machine CPU per
   test run and where it went: the docker cgroup's cpuacct.usage delta
   (everything in containers) against the rest of the machine (/proc/stat
   busy time minus that: engine, runc, shims, kernel, pyjudge), pyjudge's
   own CPU (wait4), the runs' own CPU from result.json (`cpu_time`), and for
   functions the student's share (the per-test `cpu_ns` of OUT/SUB/stdout).
   It exits 1 when the median functions/stdin ratio is under --target (2).
2. A per-process split with `perf record -a` (if perf is installed and
   allowed; --no-perf skips it): one more grading of each kind, the samples
   summed by command name.
3. The first test's latency: one submission x one test function, --reps
   times (default 5), with pyjudge's debug log (create/attach/start of each
   container, host-stamped as the lines arrive) and time stamps taken inside
   the container by the staff's conftest.py and test file and by the
   student's module, written to the run's stderr (OUT/SUB/stderr). The same
   for a one-test stdin problem, for comparison.

Problems and submissions are generated under a temp dir (removed at the
end). A container that is not this run's (another pyjudge beside it) makes
the cgroup numbers include foreign work; the script counts such containers
and says so. Benchmarks are not tests: CI does not run this.

    python3 bench/functions_bench.py                 # about 3 minutes
    python3 bench/functions_bench.py --submissions 10 --rounds 1 --no-perf --reps 2

See bench/README.md for results and the machine they ran on.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import http.client
import socket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKER_CPUACCT = ("/sys/fs/cgroup/cpuacct/docker/cpuacct.usage",   # cgroup v1
                  "/sys/fs/cgroup/cpu,cpuacct/docker/cpuacct.usage",
                  "/sys/fs/cgroup/docker/cpu.stat")                  # v2, cgroupfs driver

FN_GOOD = "def add(a, b):\n    return a + b\n"
FN_WRONG = "def add(a, b):\n    return a + b + 1\n"
STDIN_GOOD = "a, b = map(int, input().split())\nprint(a + b)\n"
STDIN_WRONG = "a, b = map(int, input().split())\nprint(a + b + 1)\n"

# The latency problem: stamps (CLOCK_REALTIME, shared by host and container)
# written by the staff's side to fd 2, the run's stderr, as one line.
LAT_STUDENT = '''import os, time
def _started():
    """This process's start, realtime (from /proc: 10 ms ticks)."""
    with open("/proc/self/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    return time.time() - (time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK"))
_ZYGOTE_START = _started()
_IMPORTED = time.time()
_ADD_CALLED = None
def add(a, b):
    global _ADD_CALLED
    _ADD_CALLED = time.time()
    return a + b
def probe():
    return {"zygote_start": _ZYGOTE_START, "zygote_imported": _IMPORTED, "add_called": _ADD_CALLED,
            "test_process_start": _started()}
'''
LAT_CONFTEST = '''import json, os, time
import pytest
def _started(pid="self"):
    try:
        with open("/proc/%s/stat" % pid) as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    except OSError:
        return None
    return time.time() - (time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK"))
STAMPS = {"supervisor_start": _started(1), "staff_start": _started(), "conftest_imported": time.time()}
def pytest_collection_modifyitems(items):
    STAMPS["collected"] = time.time()
@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    STAMPS["protocol_start"] = time.time()      # before pyjudge's plugin asks for a student process
    yield
    STAMPS["verdict_written"] = time.time()     # after its end and the report's line
    os.write(2, ("\\nBENCH-STAMPS " + json.dumps(STAMPS) + "\\n").encode())
'''
LAT_TEST = '''import time
import conftest
from adder import add, probe
conftest.STAMPS["test_module_imported"] = time.time()
def test_first():
    conftest.STAMPS["test_body"] = time.time()
    assert add(1, 2) == 3
    conftest.STAMPS["add_returned"] = time.time()
    conftest.STAMPS.update(probe())
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_function_problem(d, tests):
    write(os.path.join(d, "problem.json"),
          json.dumps({"title": "Add", "kind": "functions", "module": "adder", "time_limit": 2, "memory": "256m"}))
    write(os.path.join(d, "statement.md"), "Write add(a, b).\n")
    body = ["from adder import add\n"]
    for t in range(1, tests + 1):
        body.append("\n\ndef test_%02d():\n    assert add(%d, %d) == %d\n" % (t, t * 7, t * 100, t * 107))
    write(os.path.join(d, "tests", "test_add.py"), "".join(body))
    return d


def make_stdin_problem(d, tests):
    write(os.path.join(d, "problem.json"), json.dumps({"title": "Add", "time_limit": 2, "memory": "256m"}))
    write(os.path.join(d, "statement.md"), "Print the sum of the two numbers on stdin.\n")
    for t in range(1, tests + 1):
        write(os.path.join(d, "tests", "%02d.in" % t), "%d %d\n" % (t * 7, t * 100))
        write(os.path.join(d, "tests", "%02d.out" % t), "%d\n" % (t * 107))
    return d


def make_submissions(d, n, kind):
    os.makedirs(d)
    for i in range(n):
        wrong = i % 10 == 9
        if kind == "functions":
            write(os.path.join(d, "s%03d" % i, "adder.py"), FN_WRONG if wrong else FN_GOOD)
        else:
            write(os.path.join(d, "s%03d.py" % i), STDIN_WRONG if wrong else STDIN_GOOD)
    return d


def busy_ms():
    """Machine CPU time spent so far (all processes, all cores), in ms."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) * 1000.0 / os.sysconf("SC_CLK_TCK")


def docker_ms():
    """CPU of everything in the docker cgroup so far, in ms (None: not found)."""
    for p in DOCKER_CPUACCT:
        try:
            with open(p) as f:
                text = f.read()
        except OSError:
            continue
        if p.endswith("cpu.stat"):
            m = re.search(r"^usage_usec (\d+)", text, re.M)
            return int(m.group(1)) / 1000.0 if m else None
        return int(text.split()[0]) / 1e6
    return None


class _UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


class ForeignWatch(threading.Thread):
    """Counts containers seen during a phase that this run's pyjudge did not make."""

    def __init__(self, own_pid):
        super().__init__(daemon=True)
        self.own_pid = str(own_pid)
        self.sock = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").replace("unix://", "")
        self.stop = threading.Event()
        self.foreign = set()

    def run(self):
        conn = _UnixHTTP(self.sock)
        while not self.stop.is_set():
            try:
                conn.request("GET", "/v1.41/containers/json")
                for c in json.loads(conn.getresponse().read()):
                    if (c.get("Labels") or {}).get("org.pyjudge.owner_pid") != self.own_pid:
                        self.foreign.add(c["Id"])
            except Exception:  # the engine is busy; try again
                conn = _UnixHTTP(self.sock)
            self.stop.wait(0.1)


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def grade(args, kind, problem, subs, out, wrap=(), extra=()):
    """One `pyjudge grade`, measured. Returns a dict of numbers."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = list(wrap) + [args.binary, "grade", problem, subs, "--out", out, "--quiet", "--format", "json"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    cmd += list(extra)
    c0, d0 = busy_ms(), docker_ms()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watch = ForeignWatch(proc.pid)
    watch.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    c1, d1 = busy_ms(), docker_ms()
    watch.stop.set()
    err = proc.stderr.read().decode(errors="replace").strip()
    report = read_json(os.path.join(out, "report.json"))
    if report is None:
        raise RuntimeError("%s grading wrote no report.json (exit %s): %s" % (kind, status, err[-2000:]))
    r = {"kind": kind, "wall": wall, "machine_ms": c1 - c0,
         "docker_ms": (d1 - d0) if d0 is not None and d1 is not None else None,
         "pyjudge_ms": (usage.ru_utime + usage.ru_stime) * 1000.0, "foreign": len(watch.foreign),
         "verdicts": {s["submission"]: s["verdict"] for s in report["submissions"]},
         "runs": sum(len(s["tests"]) for s in report["submissions"]), "exit": status, "stderr": err}
    test_verdicts = [t["verdict"] for s in report["submissions"] for t in s["tests"]]
    r["bad_tests"] = sum(1 for v in test_verdicts if v not in ("AC", "WA"))
    run_cpu = 0.0
    if kind == "functions":
        student_ns, n_ns = 0, 0
        for s in report["submissions"]:
            res = read_json(os.path.join(out, s["submission"], "result.json")) or {}
            run_cpu += res.get("cpu_time") or 0.0
            try:
                with open(os.path.join(out, s["submission"], "stdout")) as f:
                    for line in f:
                        ev = json.loads(line)
                        if ev.get("event") == "test" and isinstance(ev.get("cpu_ns"), int):
                            student_ns += ev["cpu_ns"]
                            n_ns += 1
            except (OSError, ValueError):
                pass
        collect = read_json(os.path.join(out, "_tests", "result.json")) or {}
        r["collect_cpu_ms"] = (collect.get("cpu_time") or 0.0) * 1000.0
        r["student_ms"] = student_ns / 1e6
        r["cpu_ns_tests"] = n_ns
    else:
        run_cpu = sum(t.get("cpu_time") or 0.0 for s in report["submissions"] for t in s["tests"])
    r["run_cpu_ms"] = run_cpu * 1000.0
    r["rate"] = r["runs"] / wall
    return r


def per_run(r, key):
    v = r.get(key)
    return None if v is None else v / r["runs"]


def fmt(v, spec="%.1f"):
    return "—" if v is None else spec % v


def check_verdicts(r, n):
    want = {"s%03d" % i: ("WA" if i % 10 == 9 else "AC") for i in range(n)}
    if r["verdicts"] != want or r["bad_tests"]:
        bad = {k: v for k, v in r["verdicts"].items() if want.get(k) != v}
        raise RuntimeError("%s: unexpected verdicts %s (%d tests neither AC nor WA); stderr: %s"
                           % (r["kind"], bad, r["bad_tests"], r["stderr"][-2000:]))


# ---------------------------------------------------------------- perf split

GROUPS = [
    ("container: python3 (staff, zygote, tests / the stdin script)", lambda c: c.startswith("python")),
    ("container: supervisor", lambda c: c == "supervisor"),
    ("engine: dockerd", lambda c: c == "dockerd"),
    ("engine: containerd", lambda c: c == "containerd"),
    ("engine: containerd-shim", lambda c: c.startswith("containerd-shim")),
    ("engine: runc (incl. runc:[N:INIT])", lambda c: c.startswith("runc")),
    ("pyjudge (all its threads)", lambda c: c.startswith("pyjudge") or c.startswith("tbb") or c == "pyjudge-worker"),
    ("kernel threads (kworker, ksoftirqd, rcu, ...)",
     lambda c: re.match(r"(kworker|ksoftirqd|rcu|migration|kthreadd|kcompactd|khugepaged|kswapd|kdamond|jbd2|cpuhp)",
                        c) is not None),
    ("perf itself", lambda c: c == "perf"),
]


def perf_split(args, kind, problem, subs, out, work):
    data = os.path.join(work, "perf-%s.data" % kind)
    wrap = ["perf", "record", "-a", "-F", "999", "-q", "-o", data, "--"]
    r = grade(args, kind, problem, subs, out, wrap=wrap)
    rep = subprocess.run(["perf", "report", "-i", data, "--sort", "comm", "--stdio", "-q", "--percent-limit", "0"],
                         capture_output=True, text=True)
    shares = {}
    for line in rep.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(.+?)\s*$", line)
        if m:
            shares[m.group(2)] = shares.get(m.group(2), 0.0) + float(m.group(1))
    idle = shares.pop("swapper", 0.0)
    total = sum(shares.values()) or 1.0
    groups = {}
    for comm, pct in shares.items():
        name = next((g for g, f in GROUPS if f(comm)), "other: " + comm)
        groups[name] = groups.get(name, 0.0) + pct / total
    return r, groups, idle


# ------------------------------------------------------------------ latency

LINE_CONTAINER = re.compile(r"container (\w+): create ([\d.]+) ms, attach ([\d.]+) ms, start ([\d.]+) ms")
LINE_RUN = re.compile(r"job (\S+): run \d+ in container (\w+): ([\d.]+) ms")


def timed_grade(args, problem, subs, out):
    """`pyjudge grade` with the debug log, each line stamped on arrival."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [args.binary, "grade", problem, subs, "--out", out, "--quiet", "--format", "json", "--log-level", "debug"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = [(time.time(), line.rstrip("\n")) for line in proc.stderr]
    proc.wait()
    t_end = time.time()
    containers, runs = [], {}
    for t, line in lines:
        m = LINE_CONTAINER.search(line)
        if m:
            containers.append({"id": m.group(1), "seen": t, "create": float(m.group(2)) / 1e3,
                               "attach": float(m.group(3)) / 1e3, "start": float(m.group(4)) / 1e3})
        m = LINE_RUN.search(line)
        if m:
            runs[m.group(1)] = {"container": m.group(2), "seen": t, "run": float(m.group(3)) / 1e3}
    return {"t0": t0, "end": t_end, "containers": containers, "runs": runs, "exit": proc.returncode,
            "log": "\n".join(l for _, l in lines)}


def latency_functions(args, problem, subs, out):
    g = timed_grade(args, problem, subs, out)
    if len(g["containers"]) != 2 or "s000" not in g["runs"] or "collect" not in g["runs"]:
        raise RuntimeError("latency: unexpected debug log:\n" + g["log"][-3000:])
    try:
        with open(os.path.join(out, "s000", "stderr")) as f:
            stamps = json.loads(f.read().split("BENCH-STAMPS ", 1)[1].splitlines()[0])
    except (OSError, IndexError, ValueError):
        raise RuntimeError("latency: no stamps in the run's stderr:\n" + g["log"][-3000:])
    report = read_json(os.path.join(out, "report.json"))
    if report["submissions"][0]["verdict"] != "AC":
        raise RuntimeError("latency: the probe's test is not AC: %s" % report["submissions"][0])
    by_id = {c["id"]: c for c in g["containers"]}
    sub = by_id[g["runs"]["s000"]["container"]]
    col = by_id[g["runs"]["collect"]["container"]]
    create_at = sub["seen"] - sub["start"] - sub["attach"] - sub["create"]
    started_at = sub["seen"]  # the engine's start call returned (approximately: when the line arrived)
    s = stamps
    parts = [
        ("pyjudge launch -> the collection run's container created (start-up, problem load)",
         col["seen"] - col["start"] - col["attach"] - col["create"] - g["t0"]),
        ("collection run: create + attach + start of its container", col["create"] + col["attach"] + col["start"]),
        ("collection run: pytest start-up and collection in it", g["runs"]["collect"]["run"]),
        ("collection run's end -> the submission's container created (its container removed, tests listed)",
         create_at - g["runs"]["collect"]["seen"]),
        ("submission container: create", sub["create"]),
        ("submission container: attach", sub["attach"]),
        ("submission container: start (runc, namespaces, cgroups, the supervisor's exec)", sub["start"]),
    ]
    # Inside the container, in the order things happen (process starts from
    # /proc: 10 ms ticks). The zygote starts on the staff's first `begin`.
    sup = s.get("supervisor_start")
    inner = [
        ("create call begins -> the supervisor (PID 1) started (create, attach, start up to its exec)",
         (sup - create_at) if sup else None),
        ("supervisor started -> the staff's python3 started (start call returns, the bundle sent and unpacked, fork, exec)",
         (s["staff_start"] - sup) if sup else None),
        ("staff: python3 start, import pytest and the harness, to its first begin (the zygote's start)",
         s["zygote_start"] - s["staff_start"]),
        ("zygote: python3 start, the harness's imports, the student's module imported",
         s["zygote_imported"] - s["zygote_start"]),
        ("the manifest's fork and end; pytest's configuration, to the conftest's import",
         s["conftest_imported"] - s["zygote_imported"]),
        ("staff: collection (the test module imported, items made)", s["collected"] - s["conftest_imported"]),
        ("collection done -> the test's protocol starts", s["protocol_start"] - s["collected"]),
        ("begin: the supervisor has the zygote fork a test process, passes its socket; setup",
         s["test_body"] - s["protocol_start"]),
        ("the first call: add(1, 2) over the TEST socket and back", s["add_returned"] - s["test_body"]),
        ("teardown, end (kill and reap the test process, cgroup reads), verdict, report line",
         s["verdict_written"] - s["add_returned"]),
    ]
    zygote = {"supervisor_before_start_returned": (started_at - sup) if sup else None,
              "add_called_after_body": s["add_called"] - s["test_body"]}
    return {"parts": parts, "inner": inner, "zygote": zygote,
            "create_to_verdict": s["verdict_written"] - create_at,
            "start_to_verdict": s["verdict_written"] - started_at,
            "launch_to_verdict": s["verdict_written"] - g["t0"],
            "end_to_end": g["end"] - g["t0"],
            "collect_run": g["runs"]["collect"]["run"],
            "sub_run": g["runs"]["s000"]["run"],
            "after_verdict_to_exit": g["end"] - s["verdict_written"]}


def latency_stdin(args, problem, subs, out):
    g = timed_grade(args, problem, subs, out)
    if len(g["containers"]) != 1 or not any(k.startswith("s000") for k in g["runs"]):
        raise RuntimeError("latency (stdin): unexpected debug log:\n" + g["log"][-3000:])
    c = g["containers"][0]
    run = next(v for k, v in g["runs"].items() if k.startswith("s000"))
    return {"create": c["create"], "attach": c["attach"], "start": c["start"], "run": run["run"],
            "create_to_verdict": c["create"] + c["attach"] + c["start"] + run["run"],
            "end_to_end": g["end"] - g["t0"]}


def median_of(dicts, key):
    vals = [d[key] for d in dicts if d.get(key) is not None]
    return statistics.median(vals) if vals else None


# --------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=30)
    ap.add_argument("--tests", type=int, default=20, help="test functions / stdin tests per submission (default 20)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the two gradings (default 3)")
    ap.add_argument("--jobs", type=int, default=0, help="pyjudge's --jobs (default: pyjudge's own, 2 x cores)")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "pyjudge"))
    ap.add_argument("--target", type=float, default=2.0,
                    help="exit 1 when functions runs/s / stdin runs/s (median) is below this (default 2)")
    ap.add_argument("--reps", type=int, default=5, help="first-test latency repetitions (default 5; 0 skips)")
    ap.add_argument("--no-perf", action="store_true", help="skip the perf record split")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (printed)")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    n_runs = args.submissions * args.tests

    work = tempfile.mkdtemp(prefix="pyjudge-functions-bench-")
    try:
        fn_problem = make_function_problem(os.path.join(work, "fn"), args.tests)
        sd_problem = make_stdin_problem(os.path.join(work, "stdin"), args.tests)
        fn_subs = make_submissions(os.path.join(work, "fn-subs"), args.submissions, "functions")
        sd_subs = make_submissions(os.path.join(work, "stdin-subs"), args.submissions, "stdin")
        print("functions bench: %d submissions x %d tests (%d runs each way), --jobs %s, %d cores, docker cgroup %s"
              % (args.submissions, args.tests, n_runs, args.jobs or "%d (default)" % (2 * cores), cores,
                 "found" if docker_ms() is not None else "NOT found"), flush=True)

        # Warm-up: page cache, the image's layers, the engine's caches.
        small = ["s000"]
        for kind, problem, subs in (("functions", fn_problem, fn_subs), ("stdin", sd_problem, sd_subs)):
            d = os.path.join(work, "warm-" + kind)
            os.makedirs(d)
            for name in small:
                src = os.path.join(subs, name if kind == "functions" else name + ".py")
                (shutil.copytree if kind == "functions" else shutil.copy)(src, os.path.join(d, os.path.basename(src)))
            grade(args, kind, problem, d, os.path.join(work, "out-warm"))

        print("\n| round | kind | wall s | runs/s | machine cpu/run ms | docker cgroup/run ms | rest of machine/run ms"
              " | pyjudge/run ms | runs' cpu_time/run ms | student cpu_ns/run ms | foreign containers |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        results = {"functions": [], "stdin": []}
        ratios = []
        for rnd in range(1, args.rounds + 1):
            order = [("stdin", sd_problem, sd_subs), ("functions", fn_problem, fn_subs)]
            if rnd % 2 == 0:
                order.reverse()
            got = {}
            for kind, problem, subs in order:
                r = grade(args, kind, problem, subs, os.path.join(work, "out-" + kind))
                check_verdicts(r, args.submissions)
                if kind == "functions" and r["cpu_ns_tests"] != n_runs:
                    raise RuntimeError("functions: %d of %d tests have cpu_ns" % (r["cpu_ns_tests"], n_runs))
                got[kind] = r
                results[kind].append(r)
                rest = r["machine_ms"] - r["docker_ms"] if r["docker_ms"] is not None else None
                print("| %d | %s | %.2f | %.1f | %s | %s | %s | %.2f | %s | %s | %d |" % (
                    rnd, kind, r["wall"], r["rate"], fmt(per_run(r, "machine_ms")), fmt(per_run(r, "docker_ms")),
                    fmt(None if rest is None else rest / r["runs"]), per_run(r, "pyjudge_ms"),
                    fmt(per_run(r, "run_cpu_ms")), fmt(per_run(r, "student_ms"), "%.2f"), r["foreign"]), flush=True)
            ratios.append(got["functions"]["rate"] / got["stdin"]["rate"])
        ratio = statistics.median(ratios)

        print("\nmedians over %d rounds:" % args.rounds)
        print("| kind | runs/s | machine cpu/run ms | docker cgroup/run ms | rest/run ms | runs' cpu_time/run ms"
              " | student cpu_ns/run ms |")
        print("|---|---|---|---|---|---|---|")
        med = {}
        for kind in ("functions", "stdin"):
            rs = results[kind]
            m = {"rate": statistics.median(r["rate"] for r in rs),
                 "machine": statistics.median(per_run(r, "machine_ms") for r in rs),
                 "docker": median_of([{"v": per_run(r, "docker_ms")} for r in rs], "v"),
                 "run_cpu": statistics.median(per_run(r, "run_cpu_ms") for r in rs),
                 "student": median_of([{"v": per_run(r, "student_ms")} for r in rs], "v")}
            m["rest"] = median_of([{"v": (r["machine_ms"] - r["docker_ms"]) / r["runs"]} for r in rs
                                   if r["docker_ms"] is not None], "v")
            med[kind] = m
            print("| %s | %.1f | %.1f | %s | %s | %.1f | %s |" % (kind, m["rate"], m["machine"], fmt(m["docker"]),
                                                                fmt(m["rest"]), m["run_cpu"], fmt(m["student"], "%.2f")))
        fr = results["functions"]
        collect = statistics.median(r["collect_cpu_ms"] for r in fr)
        per_sub = statistics.median((r["run_cpu_ms"] - r["student_ms"]) / args.submissions for r in fr)
        print("functions, per submission (median): container run cpu_time %.0f ms, of which the student's tests %.0f ms"
              " and the rest (staff's pytest start-up, collection and per-test work, zygote import, supervisor) %.0f ms;"
              " the collection run alone (pytest start-up + collection, once per grading): %.0f ms" % (
                  statistics.median(r["run_cpu_ms"] / args.submissions for r in fr),
                  statistics.median(r["student_ms"] / args.submissions for r in fr), per_sub, collect))
        foreign = sum(r["foreign"] for rs in results.values() for r in rs)
        if foreign:
            print("NOTE: %d containers of another pyjudge or client ran during the measured gradings: the docker"
                  " cgroup and machine numbers include their work" % foreign)
        print("ratios per round: %s; median functions / stdin = %.2fx (target %.1fx: %s)" % (
            ", ".join("%.2f" % x for x in ratios), ratio, args.target, "met" if ratio >= args.target else "MISSED"),
            flush=True)

        if not args.no_perf:
            if shutil.which("perf") is None:
                print("\nperf split: perf is not installed (skipped)")
            else:
                print("\nperf split (perf record -a -F 999, one more grading each; share of the busy samples,"
                      " times that grading's machine cpu/run):")
                print("| where | functions % | functions ms/run | stdin % | stdin ms/run |")
                print("|---|---|---|---|---|")
                try:
                    split = {}
                    for kind, problem, subs in (("functions", fn_problem, fn_subs), ("stdin", sd_problem, sd_subs)):
                        split[kind] = perf_split(args, kind, problem, subs, os.path.join(work, "out-perf-" + kind),
                                                 work)
                    names = sorted(set(split["functions"][1]) | set(split["stdin"][1]),
                                   key=lambda g: -(split["functions"][1].get(g, 0) + split["stdin"][1].get(g, 0)))
                    for g in names:
                        cells = []
                        for kind in ("functions", "stdin"):
                            r, groups, _ = split[kind]
                            share = groups.get(g, 0.0)
                            cells += ["%.1f" % (100 * share), "%.2f" % (share * r["machine_ms"] / r["runs"])]
                        if max(float(cells[0]), float(cells[2])) >= 0.3:
                            print("| %s | %s |" % (g, " | ".join(cells)))
                    for kind in ("functions", "stdin"):
                        r = split[kind][0]
                        print("%s under perf: %.1f runs/s, machine cpu/run %.1f ms" % (
                            kind, r["rate"], r["machine_ms"] / r["runs"]))
                except (RuntimeError, OSError) as e:
                    print("perf split failed: %s" % e)

        if args.reps:
            lat_problem = os.path.join(work, "lat")
            write(os.path.join(lat_problem, "problem.json"),
                  json.dumps({"title": "Add", "kind": "functions", "module": "adder", "time_limit": 2,
                              "memory": "256m"}))
            write(os.path.join(lat_problem, "statement.md"), "Write add(a, b).\n")
            write(os.path.join(lat_problem, "tests", "conftest.py"), LAT_CONFTEST)
            write(os.path.join(lat_problem, "tests", "test_first.py"), LAT_TEST)
            write(os.path.join(work, "lat-subs", "s000", "adder.py"), LAT_STUDENT)
            sd1 = make_stdin_problem(os.path.join(work, "stdin1"), 1)
            sd1_subs = os.path.join(work, "stdin1-subs")
            write(os.path.join(sd1_subs, "s000.py"), STDIN_GOOD)
            lats, slats = [], []
            for _ in range(args.reps):
                lats.append(latency_functions(args, lat_problem, os.path.join(work, "lat-subs"),
                                              os.path.join(work, "out-lat")))
                slats.append(latency_stdin(args, sd1, sd1_subs, os.path.join(work, "out-lat1")))
            print("\nfirst test's latency, 1 submission x 1 test function (median of %d, ms):" % args.reps)
            print("| step | ms |")
            print("|---|---|")

            def med_part(idx, key):
                vals = [l[key][idx][1] for l in lats if l[key][idx][1] is not None]
                return fmt(statistics.median(vals) * 1000 if vals else None, "%.0f")

            print("| *on the host, from pyjudge's debug log* | |")
            for i, (name, _) in enumerate(lats[0]["parts"]):
                print("| %s | %s |" % (name, med_part(i, "parts")))
            print("| *the submission's container, from stamps taken inside it* | |")
            for i, (name, _) in enumerate(lats[0]["inner"]):
                print("| %s | %s |" % (name, med_part(i, "inner")))
            z = {k: median_of([l["zygote"] for l in lats], k) for k in lats[0]["zygote"]}
            print("| **submission's container create -> first verdict** | **%.0f** |"
                  % (1000 * median_of(lats, "create_to_verdict")))
            print("| (of which start returned -> first verdict) | %.0f |" % (1000 * median_of(lats, "start_to_verdict")))
            print("| pyjudge launch -> first verdict (the collection run included) | %.0f |"
                  % (1000 * median_of(lats, "launch_to_verdict")))
            print("| first verdict -> pyjudge exit (staff exit, pytest summary, remove, reports) | %.0f |"
                  % (1000 * median_of(lats, "after_verdict_to_exit")))
            print("| pyjudge grade end to end | %.0f |" % (1000 * median_of(lats, "end_to_end")))
            print("the supervisor (PID 1) started %s ms before the engine's start call returned to pyjudge;"
                  " add() itself ran %.1f ms after the test body began" % (
                      fmt(None if z["supervisor_before_start_returned"] is None
                          else 1000 * z["supervisor_before_start_returned"], "%.0f"),
                      1000 * z["add_called_after_body"]))
            print("stdin, 1 submission x 1 test (median of %d): create %.0f + attach %.0f + start %.0f + run %.0f ="
                  " %.0f ms to the verdict; pyjudge grade end to end %.0f ms" % (
                      args.reps, *(1000 * median_of(slats, k) for k in ("create", "attach", "start", "run",
                                                                         "create_to_verdict", "end_to_end"))))
        if args.keep:
            print("kept", work)
    except RuntimeError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ratio >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
