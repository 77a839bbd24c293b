#!/usr/bin/env python3
"""Verdict stability: grades every sample problem's submissions three ways,
three times each, and reports any (submission, test) verdict that differs.

The three ways: `--jobs 1`; the default `--jobs`; the default `--jobs` with
two busy-loop processes running beside pyjudge (a loaded machine). Every
verdict must match the first one seen, and every submission's overall
verdict must match the problem's expected.json. Exits 1 on any difference.
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
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def spin():
    while True:
        pass


def grade(binary, problem, out, jobs, isolation):
    shutil.rmtree(out, ignore_errors=True)
    cmd = [binary, "grade", problem, os.path.join(problem, "submissions"), "--out", out, "--quiet",
           "--format", "json", "--isolation", isolation]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.load(open(os.path.join(out, "report.json")))
    tests = {}
    overall = {}
    for s in report["submissions"]:
        overall[s["submission"]] = s["verdict"]
        for t in s["tests"]:
            tests[(s["submission"], t["test"])] = t["verdict"]
    return overall, tests


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "pyjudge"))
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--isolation", default="submission", choices=["submission", "test"])
    ap.add_argument("--problems", default="sum,distinct,circle,near_limit",
                    help="names under problems/ or bench/problems/ (near_limit: an honest solution at 60 %% of "
                         "its CPU time limit)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="pyjudge-stability-")
    differences = 0
    runs = 0
    t0 = time.monotonic()
    try:
        for name in args.problems.split(","):
            problem = os.path.join(ROOT, "problems", name)
            if not os.path.isdir(problem):
                problem = os.path.join(ROOT, "bench", "problems", name)
            expected = json.load(open(os.path.join(problem, "expected.json")))
            first = None
            for rep in range(1, args.repetitions + 1):
                for way in ("jobs 1", "default jobs", "default jobs + 2 busy loops"):
                    busy = []
                    if "busy" in way:
                        busy = [multiprocessing.Process(target=spin, daemon=True) for _ in range(2)]
                        for p in busy:
                            p.start()
                    try:
                        overall, tests = grade(args.binary, problem, os.path.join(work, "out"),
                                               1 if way == "jobs 1" else None, args.isolation)
                    finally:
                        for p in busy:
                            p.terminate()
                            p.join()
                    runs += len(tests)
                    if first is None:
                        first = tests
                    for key in sorted(set(first) | set(tests)):
                        if first.get(key) != tests.get(key):
                            differences += 1
                            print("%s rep %d, %s: %s/%s was %s, now %s" % (name, rep, way, key[0], key[1],
                                                                         first.get(key), tests.get(key)))
                    for sub, want in expected.items():
                        if overall.get(sub) != want:
                            differences += 1
                            print("%s rep %d, %s: %s is %s, expected %s" % (name, rep, way, sub, overall.get(sub),
                                                                          want))
                    print("%-8s rep %d  %-28s %3d runs, %d differences so far" % (name, rep, way, len(tests),
                                                                                   differences), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d graded runs in %.0f s (isolation %s): %d verdicts differ" % (runs, time.monotonic() - t0,
                                                                           args.isolation, differences))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
