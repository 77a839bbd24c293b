#!/usr/bin/env python3
"""pyjudge interactive benchmark (docs/problems.md, "Interactive problems"):
the cost of one exchange between a submission and its validator, relayed by
pyjudge between their two containers, against the same exchange over a
plain pipe between two local processes.

An exchange is one line from the submission (`N`) and the validator's
answer (`N+1`). A package whose test asks for E exchanges is graded with
`pyjudge grade`, for E = 1 and E = 1 + N (default N = 1000), R times each
(default 5); the per-exchange cost is the difference of the submission's
wall time (measured inside its container) divided by N, median of R. The
same two scripts are then run locally, joined by two pipes (no container),
the same way. It prints both and their ratio.

Benchmarks are not tests: CI does not run this.

    python3 bench/interactive_bench.py            # about 1 minute
    python3 bench/interactive_bench.py --exchanges 200 --reps 3

See bench/README.md for results and the machine they ran on.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYJUDGE = os.path.join(ROOT, "build", "pyjudge")

VALIDATOR = r'''import sys
n = int(open(sys.argv[1]).read())
for i in range(n):
    line = sys.stdin.readline()
    if not line or int(line) != i:
        sys.exit(43)
    sys.stdout.write("%d\n" % (i + 1))
    sys.stdout.flush()
sys.exit(42)
'''

SUBMISSION = r'''import sys
i = 0
while True:
    sys.stdout.write("%d\n" % i)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        break
    i = int(line)
'''


def package(root, exchanges):
    d = os.path.join(root, "ping%d" % exchanges)
    os.makedirs(os.path.join(d, "output_validator"))
    os.makedirs(os.path.join(d, "data", "secret"))
    with open(os.path.join(d, "problem.yaml"), "w") as f:
        f.write("problem_format_version: 2023-07-draft\ntype: interactive\nlimits:\n  time_limit: 30\n")
    with open(os.path.join(d, "output_validator", "validate.py"), "w") as f:
        f.write(VALIDATOR)
    with open(os.path.join(d, "data", "secret", "1.in"), "w") as f:
        f.write("%d\n" % exchanges)
    open(os.path.join(d, "data", "secret", "1.ans"), "w").close()
    return d


def graded_wall(problem, submission, out):
    r = subprocess.run([PYJUDGE, "grade", problem, submission, "--out", out, "--format", "json"],
                       capture_output=True, text=True, check=False)
    if r.returncode != 0:
        sys.exit("pyjudge grade exited %d: %s" % (r.returncode, r.stderr.strip()))
    test = json.loads(r.stdout)["submissions"][0]["tests"][0]
    if test["verdict"] != "AC":
        sys.exit("the benchmark's submission got %s: %s" % (test["verdict"], test["message"]))
    return test["wall_time"]


def local_wall(root, exchanges):
    """Both scripts as local processes joined by two pipes; the submission's wall time."""
    answer = os.path.join(root, "local%d.in" % exchanges)
    with open(answer, "w") as f:
        f.write("%d\n" % exchanges)
    v_script = os.path.join(root, "validate.py")
    s_script = os.path.join(root, "submission.py")
    sub_in_r, sub_in_w = os.pipe()
    val_in_r, val_in_w = os.pipe()
    t0 = time.monotonic()
    val = subprocess.Popen([sys.executable, v_script, answer, answer, root + "/"], stdin=val_in_r, stdout=sub_in_w)
    sub = subprocess.Popen([sys.executable, s_script], stdin=sub_in_r, stdout=val_in_w)
    for fd in (sub_in_r, sub_in_w, val_in_r, val_in_w):
        os.close(fd)
    sub.wait()
    t1 = time.monotonic()
    if val.wait() != 42:
        sys.exit("the local validator rejected the exchange")
    return t1 - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exchanges", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="pyjudge-interactive-bench-")
    with open(os.path.join(root, "submission.py"), "w") as f:
        f.write(SUBMISSION)
    with open(os.path.join(root, "validate.py"), "w") as f:
        f.write(VALIDATOR)
    small, big = package(root, 1), package(root, 1 + args.exchanges)
    sub = os.path.join(root, "submission.py")
    judged, local = [], []
    for rep in range(args.reps):
        a = graded_wall(small, sub, os.path.join(root, "out-s%d" % rep))
        b = graded_wall(big, sub, os.path.join(root, "out-b%d" % rep))
        judged.append((b - a) / args.exchanges)
        la, lb = local_wall(root, 1), local_wall(root, 1 + args.exchanges)
        local.append((lb - la) / args.exchanges)
        print("rep %d: pyjudge %.1f us/exchange, local pipes %.1f us/exchange" % (rep + 1, judged[-1] * 1e6,
                                                                                  local[-1] * 1e6), flush=True)
    j, l = statistics.median(judged), statistics.median(local)
    print("median: pyjudge %.1f us per exchange, local pipes %.1f us; ratio %.1fx" % (j * 1e6, l * 1e6, j / l))


if __name__ == "__main__":
    main()
