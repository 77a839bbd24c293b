#!/usr/bin/env python3
"""pyjudge zygote benchmark (README.md, "The zygote"): warm grading with
each run forked from the container's zygote against exec per run
(--no-zygote), in one invocation on the same engine and image.

1. Throughput. S submissions (default 30) x T stdin tests (default 20; two
   numbers in, their sum out; every tenth submission wrong) are graded with
   `pyjudge grade` at its default --jobs, in R interleaved rounds (default 3;
   the order alternates), with and without --no-zygote. Per grading: runs/s,
   the machine's CPU per run (/proc/stat busy time), the docker cgroup's
   share (everything in containers) and the rest (engine, runc, shims,
   kernel, pyjudge), and the runs' own cpu_time. It exits 1 when the median
   zygote/exec ratio is under --target (1.5).
2. A per-process split with `perf record -a` of one more grading each
   (--no-perf skips it), the samples summed by command name, as the issue's
   profile was taken.
3. The zygote's own memory: a run reads its parent's (the zygote's)
   /proc/PID/status (VmRSS, RssAnon, RssFile) in a warm container.

Benchmarks are not tests: CI does not run this.

    python3 bench/zygote_bench.py                # about 4 minutes idle
    python3 bench/zygote_bench.py --submissions 10 --rounds 1 --no-perf

See bench/README.md for results and the machine they ran on.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import functions_bench as fb  # noqa: E402 - the measuring helpers are shared

MEMORY_PROBE = r'''
import os
status = dict(l.split(":", 1) for l in open("/proc/%d/status" % os.getppid()).read().splitlines())
print(open("/proc/%d/cmdline" % os.getppid()).read().replace("\0", " ").strip())
print(" ".join("%s=%s" % (k, status[k].strip()) for k in ("VmRSS", "RssAnon", "RssFile", "RssShmem")))
'''


def zygote_memory(binary, work):
    d = os.path.join(work, "memory")
    fb.write(os.path.join(d, "probe.py"), MEMORY_PROBE)
    with open(os.path.join(d, "jobs.jsonl"), "w") as f:
        for i in range(3):
            f.write(json.dumps({"id": "m%d" % i, "script": os.path.join(d, "probe.py"), "group": "g"}) + "\n")
    subprocess.run([binary, "batch", os.path.join(d, "jobs.jsonl"), "--out", os.path.join(d, "out"), "--quiet",
                    "--jobs", "1"], check=False)
    with open(os.path.join(d, "out", "m2", "stdout")) as f:
        return f.read().strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--submissions", type=int, default=30)
    ap.add_argument("--tests", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=0, help="pyjudge's --jobs (default: its own)")
    ap.add_argument("--binary", default=os.path.join(fb.ROOT, "build", "pyjudge"))
    ap.add_argument("--target", type=float, default=1.5)
    ap.add_argument("--no-perf", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pyjudge-zygote-bench-")
    try:
        problem = fb.make_stdin_problem(os.path.join(work, "problem"), args.tests)
        subs = fb.make_submissions(os.path.join(work, "subs"), args.submissions, "stdin")
        modes = {"zygote": [], "exec": ["--no-zygote"]}
        results = {m: [] for m in modes}
        print("| round | mode | wall s | runs/s | machine cpu/run ms | docker cgroup/run ms | rest/run ms "
              "| runs' cpu_time/run ms | foreign containers |")
        print("|---|---|---|---|---|---|---|---|---|")
        for rnd in range(1, args.rounds + 1):
            order = list(modes) if rnd % 2 else list(reversed(list(modes)))
            for mode in order:
                r = fb.grade(args, "stdin", problem, subs, os.path.join(work, "out-" + mode), extra=modes[mode])
                fb.check_verdicts(r, args.submissions)
                results[mode].append(r)
                machine, docker = fb.per_run(r, "machine_ms"), fb.per_run(r, "docker_ms")
                print("| %d | %s | %.2f | %.1f | %.1f | %s | %s | %.1f | %d |" % (
                    rnd, mode, r["wall"], r["rate"], machine, fb.fmt(docker),
                    fb.fmt(None if docker is None else machine - docker), fb.per_run(r, "run_cpu_ms"), r["foreign"]),
                    flush=True)
        ratios = [z["rate"] / e["rate"] for z, e in zip(results["zygote"], results["exec"])]
        median = statistics.median(ratios)
        print("\nzygote / exec runs/s per round: %s; median %.2fx (target %.1fx: %s)" % (
            ", ".join("%.2f" % x for x in ratios), median, args.target, "met" if median >= args.target else "MISSED"))
        for mode in modes:
            rs = results[mode]
            print("%s medians: %.1f runs/s, machine %.1f ms/run, runs' cpu_time %.1f ms/run" % (
                mode, statistics.median(r["rate"] for r in rs),
                statistics.median(fb.per_run(r, "machine_ms") for r in rs),
                statistics.median(fb.per_run(r, "run_cpu_ms") for r in rs)))

        if not args.no_perf and shutil.which("perf"):
            print("\n| where | zygote % | zygote ms/run | exec % | exec ms/run |")
            print("|---|---|---|---|---|")
            split = {}
            for mode in modes:
                data = os.path.join(work, "perf-%s.data" % mode)
                wrap = ["perf", "record", "-a", "-F", "999", "-q", "-o", data, "--"]
                r = fb.grade(args, "stdin", problem, subs, os.path.join(work, "perf-" + mode), wrap=wrap,
                             extra=modes[mode])
                rep = subprocess.run(["perf", "report", "-i", data, "--sort", "comm", "--stdio", "-q",
                                      "--percent-limit", "0"], capture_output=True, text=True)
                shares = {}
                for line in rep.stdout.splitlines():
                    parts = line.split()
                    if len(parts) >= 2 and parts[0].endswith("%"):
                        comm = " ".join(parts[1:])
                        shares[comm] = shares.get(comm, 0.0) + float(parts[0][:-1])
                shares.pop("swapper", None)
                total = sum(shares.values()) or 1.0
                groups = {}
                for comm, pct in shares.items():
                    name = {"timeout": "timeout"}.get(comm) or next(
                        (g for g, f in fb.GROUPS if f(comm)), "other: " + comm)
                    groups[name] = groups.get(name, 0.0) + pct / total
                split[mode] = (groups, fb.per_run(r, "machine_ms"))
            names = sorted(set(split["zygote"][0]) | set(split["exec"][0]),
                           key=lambda n: -(split["exec"][0].get(n, 0) + split["zygote"][0].get(n, 0)))
            for n in names:
                z, e = split["zygote"][0].get(n, 0.0), split["exec"][0].get(n, 0.0)
                if z < 0.005 and e < 0.005:
                    continue
                print("| %s | %.1f | %.1f | %.1f | %.1f |" % (n, 100 * z, z * split["zygote"][1], 100 * e,
                                                               e * split["exec"][1]))

        print("\nthe zygote, seen from a run (its parent):", zygote_memory(args.binary, work).replace("\n", "; "))
        return 0 if median >= args.target else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
