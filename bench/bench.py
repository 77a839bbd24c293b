#!/usr/bin/env python3
"""pyjudge throughput benchmark: the same workload through `pyjudge batch` and
through parallel `docker run --rm -i --network none`, at the same
concurrency levels, on the same engine and image, in one invocation.

Prints jobs/s, p50/p99 per-job latency, pyjudge's own CPU per job and peak
RSS, and the ratio pyjudge / docker-run per concurrency level; then the
memory check: a batch whose every job prints 8 MiB, with pyjudge's peak RSS.
See bench/README.md.
"""

import argparse
import http.client
import json
import socket
import threading
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUM = "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"
FLOOD = "import sys\nchunk = 'z' * 65536\nfor _ in range(128):\n    sys.stdout.write(chunk)\n"


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1)))))
    return values[k]


def parse_time(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()


def make_workload(work, n, code, name):
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, name + ".py"), "w") as f:
        f.write(code)
    with open(os.path.join(work, "numbers.in"), "w") as f:
        f.write(" ".join(str(i) for i in range(1000)) + "\n")
    path = os.path.join(work, name + ".jsonl")
    with open(path, "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": "%s-%04d" % (name, i), "script": name + ".py", "stdin": "numbers.in"}) + "\n")
    return path


def run_pyjudge(binary, jobs_file, out, concurrency, extra=()):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.monotonic()
    proc = subprocess.Popen([binary, "batch", jobs_file, "--jobs", str(concurrency), "--out", out, "--quiet", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    err = proc.stderr.read().decode()
    proc.stderr.close()
    summary = json.load(open(os.path.join(out, "summary.json")))
    latencies = []
    for job in summary["jobs"]:
        r = json.load(open(os.path.join(out, job["id"], "result.json")))
        latencies.append(parse_time(r["finished_at"]) - parse_time(r["started_at"]))
    ok = summary["by_verdict"].get("OK", 0)
    return {
        "wall": wall,
        "jobs": summary["total"],
        "ok": ok,
        "rate": summary["total"] / wall,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "cpu_per_job_ms": (usage.ru_utime + usage.ru_stime) * 1000.0 / summary["total"],
        "peak_rss_mib": usage.ru_maxrss / 1024.0,
        "exit": os.waitstatus_to_exitcode(status),
        "stderr": err.strip(),
    }


def run_docker(image, work, n, concurrency):
    script = open(os.path.join(work, "sum.py")).read()
    data = open(os.path.join(work, "numbers.in"), "rb").read()
    expected = (str(sum(range(1000))) + "\n").encode()

    def one(_):
        t0 = time.monotonic()
        p = subprocess.run(["docker", "run", "--rm", "-i", "--network", "none", image, "python3", "-c", script],
                           input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return time.monotonic() - t0, p.returncode == 0 and p.stdout == expected

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(n)))
    wall = time.monotonic() - t0
    latencies = [r[0] for r in results]
    return {"wall": wall, "jobs": n, "ok": sum(1 for r in results if r[1]), "rate": n / wall,
            "p50": percentile(latencies, 50), "p99": percentile(latencies, 99)}


class _UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.path)


def run_floor(image, n, concurrency):
    """The engine's own floor: a minimal client doing create -> start -> wait
    -> remove of `python3 -c pass` with the same isolation settings, over
    persistent connections, with no stdin, output or supervisor."""
    sock = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").replace("unix://", "")
    local = threading.local()
    spec = {"Image": image, "Cmd": ["python3", "-c", "pass"], "User": "10001:10001", "NetworkDisabled": True,
            "HostConfig": {"NetworkMode": "none", "Memory": 256 << 20, "MemorySwap": 256 << 20,
                           "NanoCpus": 10 ** 9, "PidsLimit": 64, "ReadonlyRootfs": True,
                           "Tmpfs": {"/tmp": "rw,nosuid,nodev,noexec,size=64m"}, "CapDrop": ["ALL"],
                           "SecurityOpt": ["no-new-privileges"], "LogConfig": {"Type": "none", "Config": {}}}}

    def call(method, path, body=None):
        if not hasattr(local, "conn"):
            local.conn = _UnixHTTP(sock)
        local.conn.request(method, "/v1.41" + path, body=json.dumps(body) if body is not None else None,
                           headers={"Content-Type": "application/json"})
        r = local.conn.getresponse()
        return r.status, r.read()

    def one(_):
        t0 = time.monotonic()
        status, data = call("POST", "/containers/create", spec)
        cid = json.loads(data)["Id"]
        call("POST", "/containers/%s/start" % cid)
        _, waited = call("POST", "/containers/%s/wait" % cid)
        call("DELETE", "/containers/%s?force=1" % cid)
        return time.monotonic() - t0, status == 201 and json.loads(waited).get("StatusCode") == 0

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(n)))
    wall = time.monotonic() - t0
    return {"rate": n / wall, "ok": sum(1 for r in results if r[1]), "jobs": n}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=200, help="jobs per run (default 200)")
    ap.add_argument("--levels", default="1,2,4,8", help="concurrency levels (default 1,2,4,8)")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "pyjudge"))
    ap.add_argument("--image", default="pyjudge-python")
    ap.add_argument("--skip-docker", action="store_true", help="only pyjudge")
    ap.add_argument("--skip-flood", action="store_true", help="skip the 8 MiB-per-job memory check")
    ap.add_argument("--skip-floor", action="store_true", help="skip the engine-floor measurement")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]

    work = tempfile.mkdtemp(prefix="pyjudge-bench-")
    try:
        jobs_file = make_workload(work, args.jobs, SUM, "sum")
        print("pyjudge bench: %d jobs (sum of 1000 numbers from stdin), levels %s, %s, %d cores" %
              (args.jobs, levels, args.image, os.cpu_count()))
        header = ("conc", "pyjudge j/s", "p50 ms", "p99 ms", "cpu/job ms", "rss MiB",
                  "docker j/s", "p50 ms", "p99 ms", "ratio", "floor j/s")
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        best_p, best_d = 0.0, 0.0
        for c in levels:
            p = run_pyjudge(args.binary, jobs_file, os.path.join(work, "out-%d" % c), c)
            if p["ok"] != p["jobs"]:
                print("pyjudge: only %d of %d jobs OK at concurrency %d: %s" % (p["ok"], p["jobs"], c, p["stderr"]),
                      file=sys.stderr)
                return 1
            d = None if args.skip_docker else run_docker(args.image, work, args.jobs, c)
            if d and d["ok"] != d["jobs"]:
                print("docker run: only %d of %d jobs OK" % (d["ok"], d["jobs"]), file=sys.stderr)
                return 1
            best_p = max(best_p, p["rate"])
            row = [c, "%.2f" % p["rate"], "%.0f" % (p["p50"] * 1000), "%.0f" % (p["p99"] * 1000),
                   "%.2f" % p["cpu_per_job_ms"], "%.1f" % p["peak_rss_mib"]]
            if d:
                best_d = max(best_d, d["rate"])
                row += ["%.2f" % d["rate"], "%.0f" % (d["p50"] * 1000), "%.0f" % (d["p99"] * 1000),
                        "%.2f" % (p["rate"] / d["rate"])]
            else:
                row += ["-", "-", "-", "-"]
            if args.skip_floor:
                row.append("-")
            else:
                f = run_floor(args.image, args.jobs, c)
                row.append("%.2f" % f["rate"] if f["ok"] == f["jobs"] else "failed")
            print("| " + " | ".join(str(x) for x in row) + " |", flush=True)
        if best_d:
            print("best pyjudge %.2f j/s / best docker run %.2f j/s = %.2f" % (best_p, best_d, best_p / best_d))

        if not args.skip_flood:
            flood = make_workload(work, args.jobs, FLOOD, "flood")
            f = run_pyjudge(args.binary, flood, os.path.join(work, "out-flood"), max(levels), ["--output-limit", "9m"])
            print("memory check: %d jobs printing 8 MiB each at concurrency %d: %.2f j/s, pyjudge peak RSS %.1f MiB, "
                  "cpu/job %.2f ms, %d OK" % (f["jobs"], max(levels), f["rate"], f["peak_rss_mib"],
                                              f["cpu_per_job_ms"], f["ok"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
