#!/usr/bin/env python3
"""The test of "verdicts that depend on load", point A: twelve honest
submissions, each spending about 0.57 s of CPU per test against a 1 s time
limit (bench/problems/near_limit, 5 tests), graded together by one
`pyjudge grade` at the default --jobs, on an idle machine and beside two
busy loops. Every one of the 60 runs must be AC. Prints each way's verdicts
and the spread of CPU and wall time per run; exits 1 if any run is not AC.
See bench/README.md.
"""

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBLEM = os.path.join(ROOT, "bench", "problems", "near_limit")


def spin():
    while True:
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "pyjudge"))
    ap.add_argument("--submissions", type=int, default=12)
    ap.add_argument("--wall-time-limit", help="passed to grade: 1 judges on the wall clock, as before CPU-time judging")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pyjudge-near-limit-")
    bad = 0
    try:
        subs = os.path.join(work, "subs")
        os.makedirs(subs)
        for i in range(args.submissions):
            shutil.copy(os.path.join(PROBLEM, "submissions", "cpu60.py"), os.path.join(subs, "s%02d.py" % i))
        for way in ("idle", "beside 2 busy loops"):
            busy = []
            if "busy" in way:
                busy = [multiprocessing.Process(target=spin, daemon=True) for _ in range(2)]
                for p in busy:
                    p.start()
            out = os.path.join(work, "out")
            shutil.rmtree(out, ignore_errors=True)
            try:
                cmd = [args.binary, "grade", PROBLEM, subs, "--out", out, "--quiet", "--format", "json"]
                if args.wall_time_limit:
                    cmd += ["--wall-time-limit", args.wall_time_limit]
                subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
            finally:
                for p in busy:
                    p.terminate()
                    p.join()
            report = json.load(open(os.path.join(out, "report.json")))
            verdicts = {}
            cpu, wall = [], []
            for s in report["submissions"]:
                for t in s["tests"]:
                    verdicts[t["verdict"]] = verdicts.get(t["verdict"], 0) + 1
                    cpu.append(t["cpu_time"] or 0)
                    wall.append(t["wall_time"])
            runs = sum(verdicts.values())
            bad += runs - verdicts.get("AC", 0)
            print("%-20s %d runs: %s; CPU %.2f-%.2f s, wall %.2f-%.2f s" % (
                way, runs, ", ".join("%s %d" % kv for kv in sorted(verdicts.items())), min(cpu), max(cpu),
                min(wall), max(wall)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d runs not AC" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
