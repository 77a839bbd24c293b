#!/usr/bin/env python3
"""pyjudge judge-farm benchmark: what the Redis queue costs, on one machine.

Grades S submissions x T tests (default 30 x 10) with `pyjudge grade`, in one
invocation on the same engine and image:

1. locally, at --jobs J (default 4);
2. on the farm: a redis-server started here on loopback (append-only file,
   fsync always, as docs/farm.md recommends), one `pyjudge worker --jobs J`
   and the producer `pyjudge grade --queue`;
3. on the farm with two workers of J/2 slots each (the same engine: this
   shows the queue's own cost, not a second machine's capacity).

Prints runs/s for each and the CPU that pyjudge (producer and workers) and
redis-server used per run. The engine's own work is the same in all three.
See bench/README.md for results and the machine they ran on.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grade_bench  # noqa: E402  (make_problem, SOLUTION)

ROOT = grade_bench.ROOT
PYJUDGE = os.path.join(ROOT, "build", "pyjudge")


def cpu_seconds(pid):
    """utime + stime of a live process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu():
    t = os.times()
    return t.children_user + t.children_system


def make_submissions(work, count):
    d = os.path.join(work, "subs")
    os.makedirs(d)
    for i in range(count):
        with open(os.path.join(d, "s%03d.py" % i), "w") as f:
            f.write(grade_bench.SOLUTION)
    return d


def start_redis(work, port):
    subprocess.run(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", work,
                    "--daemonize", "yes", "--pidfile", os.path.join(work, "redis.pid"),
                    "--logfile", os.path.join(work, "redis.log"), "--save", "",
                    "--appendonly", "yes", "--appendfsync", "always"], check=True)
    for _ in range(50):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            with open(os.path.join(work, "redis.pid")) as f:
                return int(f.read())
        time.sleep(0.1)
    sys.exit("redis-server did not start")


def grade(problem, subs, out, jobs, queue=None):
    cmd = [PYJUDGE, "grade", problem, subs, "--out", out, "--jobs", str(jobs), "--quiet", "--format", "csv"]
    if queue:
        cmd += ["--queue", queue, "--queue-name", "bench"]
    before = children_cpu()
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.monotonic() - t0
    if r.returncode != 0:
        sys.exit("grade failed (%d): %s" % (r.returncode, r.stderr[-2000:]))
    return seconds, children_cpu() - before


def farm(problem, subs, work, name, slots, redis_pid, port):
    url = "redis://127.0.0.1:%d" % port
    workers = [subprocess.Popen([PYJUDGE, "worker", "--queue", url, "--queue-name", "bench", "--jobs", str(s)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for s in slots]
    time.sleep(1.0)
    worker_cpu0 = sum(cpu_seconds(w.pid) for w in workers)
    redis_cpu0 = cpu_seconds(redis_pid)
    seconds, producer_cpu = grade(problem, subs, os.path.join(work, name), sum(slots), url)
    worker_cpu = sum(cpu_seconds(w.pid) for w in workers) - worker_cpu0
    redis_cpu = cpu_seconds(redis_pid) - redis_cpu0
    for w in workers:
        w.terminate()
    for w in workers:
        w.wait(timeout=60)
    return seconds, producer_cpu + worker_cpu, redis_cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=30)
    ap.add_argument("--tests", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=4)
    args = ap.parse_args()
    for tool in ("redis-server", "redis-cli"):
        if not shutil.which(tool):
            sys.exit("%s is missing: scripts/setup.sh --with-tests installs it" % tool)
    work = tempfile.mkdtemp(prefix="pyjudge-farm-bench-", dir=os.environ.get("TMPDIR", "/var/tmp"))
    port = random.randint(20000, 40000)
    redis_pid = None
    try:
        problem = grade_bench.make_problem(work, args.tests)
        subs = make_submissions(work, args.submissions)
        runs = args.submissions * args.tests
        redis_pid = start_redis(work, port)
        grade(problem, subs, os.path.join(work, "warmup"), args.jobs)
        rows = []
        seconds, cpu = grade(problem, subs, os.path.join(work, "local"), args.jobs)
        rows.append(("local, --jobs %d" % args.jobs, seconds, cpu, 0.0))
        half = max(1, args.jobs // 2)
        for name, slots in (("farm, 1 worker x %d slots" % args.jobs, [args.jobs]),
                            ("farm, 2 workers x %d slots" % half, [half, half])):
            seconds, cpu, redis_cpu = farm(problem, subs, work, name.replace(" ", "_").replace(",", ""), slots,
                                           redis_pid, port)
            rows.append((name, seconds, cpu, redis_cpu))
        print("%d submissions x %d tests = %d runs\n" % (args.submissions, args.tests, runs))
        print("| how | runs/s | pyjudge CPU per run | redis-server CPU per run |")
        print("|---|---|---|---|")
        for name, seconds, cpu, redis_cpu in rows:
            print("| %s | %.1f | %.1f ms | %.2f ms |" % (name, runs / seconds, 1000 * cpu / runs,
                                                         1000 * redis_cpu / runs))
    finally:
        if redis_pid:
            subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
