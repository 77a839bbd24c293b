#!/usr/bin/env python3
"""What a fork and an exec cost on this machine: the floor under the
zygote (issue 23) and under function grading's fork per test (issue 22).

1. On the host (the kernel the containers share), the price of one page
   fault: a fresh anonymous page, a copy-on-write page after fork (the
   child writes one byte per page), and the same copies made by one
   madvise(MADV_POPULATE_WRITE) call instead of one fault each.
2. Inside the runner image (`docker run --rm -u 0 --network none`), the CPU
   and minor faults of each process a warm run starts: `/bin/true`,
   coreutils `timeout` (its own share: `timeout 10 /bin/true` less
   `/bin/true`), the static supervisor binary (the exec launcher or the
   zygote client), `python3 main.py` (exec per run), a bare Python
   `fork()` + `_exit()`, and a run forked by the image's own zygote
   (`/opt/pyjudge/harness/zygote.py`, driven over its socket as PID 1
   drives it): the fork's CPU from the zygote's `exit` reply, its faults
   from the zygote's `cminflt`, and the zygote's own CPU per run.
   Also the least a fork-based run can do: fork, compile and run the
   script on its input, `_exit` (no uid change, no fresh modules or
   streams).
3. The budget: when python3 is the share --python-share of an exec-per-run
   warm grading's machine CPU (0.53 in bench/README.md's perf split) and
   every other cost is the same in both modes, a zygote run reaches
   --target (1.5) times the runs/s of exec only if its python3 part costs
   at most exec × (1 - (1 - 1/target) / share). That budget, against the
   zygote's fork and the least fork-based run measured here.

Benchmarks are not tests: CI does not run this.

    python3 bench/fork_floor.py                  # about 30 seconds
    python3 bench/fork_floor.py --runs 100 --image pyjudge-python

See bench/README.md for results and the machine they ran on.
"""

import argparse
import mmap
import os
import resource
import statistics
import subprocess
import sys
import time

PAGE = mmap.PAGESIZE
MADV_POPULATE_WRITE = 23

# Runs inside the image as root. argv: RUNS. Prints one "key value..." line
# per measurement.
IN_CONTAINER = r'''
import array, os, resource, socket, statistics, subprocess, sys

RUNS = int(sys.argv[1])
SCRIPT = "/tmp/main.py"
with open(SCRIPT, "w") as f:
    f.write("a, b = map(int, input().split())\nprint(a + b)\n")
os.chmod(SCRIPT, 0o644)
with open("/tmp/in", "w") as f:
    f.write("1 2\n")


def children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime, r.ru_minflt


def exec_cost(name, argv):
    # Each child is forked from this Python process; its share of that fork
    # is counted too, as PID 1's fork is in a run.
    c0, f0 = children()
    for _ in range(RUNS):
        with open("/tmp/in", "rb") as stdin:
            subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    c1, f1 = children()
    print(name, (c1 - c0) * 1000 / RUNS, (f1 - f0) / RUNS, flush=True)


exec_cost("true", ["/bin/true"])
exec_cost("timeout_true", ["timeout", "10", "/bin/true"])
exec_cost("supervisor", ["/opt/pyjudge/supervisor", "--help"])
exec_cost("python_exec", ["python3", SCRIPT])

c0, f0 = children()
for _ in range(RUNS):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
c1, f1 = children()
print("bare_fork", (c1 - c0) * 1000 / RUNS, (f1 - f0) / RUNS, flush=True)

# The least a fork-based run can do: fork, then compile and run the script
# on its input, then _exit; no uid change, no fresh modules or streams.
c0, f0 = children()
for _ in range(RUNS):
    pid = os.fork()
    if pid == 0:
        fd = os.open("/tmp/in", os.O_RDONLY)
        os.dup2(fd, 0)
        null = os.open("/dev/null", os.O_WRONLY)
        os.dup2(null, 1)
        with open(SCRIPT) as f:
            code = compile(f.read(), SCRIPT, "exec")
        sys.stdin = open(0, closefd=False)
        exec(code, {"__name__": "__main__"})
        sys.stdout.flush()
        os._exit(0)
    os.waitpid(pid, 0)
c1, f1 = children()
print("minimal_fork_run", (c1 - c0) * 1000 / RUNS, (f1 - f0) / RUNS, flush=True)


def stat_of(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    # After ")": state is [0]; minflt [7], cminflt [8], utime [11], stime [12].
    return int(fields[8]), (int(fields[11]) + int(fields[12])) / tick


pair = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
os.dup2(pair[0].fileno(), 20)
os.dup2(pair[1].fileno(), 21)
for s in pair:
    s.close()
os.dup2(21, 3)  # the zygote's socket is its fd 3
os.close(21)
ours = socket.socket(fileno=20)
zygote = subprocess.Popen(["python3", "/opt/pyjudge/harness/zygote.py"], pass_fds=(3,))
os.close(3)
assert ours.recv(64) == b"ready"
leader = subprocess.Popen(["sleep", "1000"], process_group=0)  # stands in for timeout's group
flt0, own0 = stat_of(zygote.pid)
cpu = []
for _ in range(RUNS):
    stdin = os.open("/tmp/in", os.O_RDONLY)
    out_r, out_w = os.pipe()
    fds = array.array("i", [stdin, out_w, 2])
    ours.sendmsg([b"run %d 2000000000 %s" % (leader.pid, SCRIPT.encode())],
                 [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds.tobytes())])
    os.close(stdin)
    os.close(out_w)
    assert ours.recv(64).startswith(b"pid "), "the zygote refused the run"
    reply = ours.recv(64).split()
    assert os.read(out_r, 64) == b"3\n", "the forked run printed something else"
    os.close(out_r)
    cpu.append(int(reply[3]) / 1e6)
flt1, own1 = stat_of(zygote.pid)
print("zygote_fork", statistics.median(cpu), (flt1 - flt0) / RUNS, flush=True)
print("zygote_own", (own1 - own0) * 1000 / RUNS, 0, flush=True)
ours.close()
zygote.wait()
leader.kill()
'''


def cpu_and_faults():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_minflt


def madvise():
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    return libc.madvise, ctypes


def host_fault_costs(pages):
    """µs per page: a fresh anonymous fault, a copy-on-write fault, and a
    copy-on-write page made by MADV_POPULATE_WRITE."""
    out = {}
    fresh = mmap.mmap(-1, pages * PAGE)
    c0, f0 = cpu_and_faults()
    for i in range(0, pages * PAGE, PAGE):
        fresh[i] = 1
    c1, f1 = cpu_and_faults()
    out["fresh"] = ((c1 - c0) * 1e6 / max(1, f1 - f0), f1 - f0)
    call, ctypes = madvise()
    base = ctypes.addressof(ctypes.c_char.from_buffer(fresh))
    for how in ("cow_fault", "cow_populate"):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            c0, f0 = cpu_and_faults()
            if how == "cow_fault":
                for i in range(0, pages * PAGE, PAGE):
                    fresh[i] = 2
            else:
                call(base, pages * PAGE, MADV_POPULATE_WRITE)
            c1, f1 = cpu_and_faults()
            os.write(w, b"%f %d" % ((c1 - c0) * 1e6 / pages, f1 - f0))
            os._exit(0)
        os.close(w)
        per_page, faults = os.read(r, 100).split()
        os.close(r)
        os.waitpid(pid, 0)
        out[how] = (float(per_page), int(faults))
    return out


def in_container(image, runs, docker):
    p = subprocess.run([docker, "run", "--rm", "-u", "0", "--network", "none", image, "python3", "-c",
                        IN_CONTAINER, str(runs)], capture_output=True, text=True, check=False)
    if p.returncode != 0:
        sys.exit("fork_floor: the in-container part failed:\n" + p.stderr)
    return {k: (float(a), float(b)) for k, a, b in (line.split() for line in p.stdout.splitlines())}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--image", default="pyjudge-python")
    ap.add_argument("--runs", type=int, default=40, help="runs per in-container measurement")
    ap.add_argument("--pages", type=int, default=20000, help="pages per host fault measurement")
    ap.add_argument("--reps", type=int, default=3, help="repetitions; medians are printed")
    ap.add_argument("--docker", default="docker")
    ap.add_argument("--python-share", type=float, default=0.53,
                    help="python3's share of an exec-per-run warm grading's machine CPU (bench/README.md)")
    ap.add_argument("--target", type=float, default=1.5)
    args = ap.parse_args()

    hosts = [host_fault_costs(args.pages) for _ in range(args.reps)]
    print("## Page faults on the host (%s, %d pages, median of %d)\n" % (os.uname().release, args.pages, args.reps))
    print("| what | µs per page | faults |\n|---|---|---|")
    for key, label in (("fresh", "fresh anonymous page, one fault each"),
                       ("cow_fault", "copy-on-write after fork, one fault each"),
                       ("cow_populate", "copy-on-write after fork, one MADV_POPULATE_WRITE call")):
        print("| %s | %.2f | %d |" % (label, statistics.median(h[key][0] for h in hosts),
                                      statistics.median(h[key][1] for h in hosts)))

    started = time.monotonic()
    reps = [in_container(args.image, args.runs, args.docker) for _ in range(args.reps)]
    med = {k: (statistics.median(r[k][0] for r in reps), statistics.median(r[k][1] for r in reps)) for k in reps[0]}
    print("\n## Inside %s (%d runs each, median of %d; %.0f s)\n" % (args.image, args.runs, args.reps,
                                                                    time.monotonic() - started))
    print("| process | CPU ms | minor faults |\n|---|---|---|")
    timeout_own = (med["timeout_true"][0] - med["true"][0], med["timeout_true"][1] - med["true"][1])
    rows = (("`/bin/true`", med["true"]), ("coreutils `timeout` (its own share)", timeout_own),
            ("the static supervisor binary, exec to its first check (a floor for the launcher or zygote client)", med["supervisor"]),
            ("`python3 main.py` (exec per run)", med["python_exec"]),
            ("bare Python `fork()` + `_exit()`, the child", med["bare_fork"]),
            ("the least fork-based run (fork, compile, run, `_exit`), the child", med["minimal_fork_run"]),
            ("a run forked by the zygote, the child", med["zygote_fork"]),
            ("the zygote's own side, per run", med["zygote_own"]))
    for label, (ms, faults) in rows:
        print("| %s | %.1f | %s |" % (label, ms, "%.0f" % faults if faults else "—"))

    share, target = args.python_share, args.target
    fraction = 1 - (1 - 1 / target) / share
    budget = med["python_exec"][0] * fraction
    print("\n## The budget for %.1f× (python3 %.0f %% of an exec grading's CPU)\n" % (target, share * 100))
    print("| python3 part of a run | CPU ms | of an exec'd run |\n|---|---|---|")
    zygote_run = med["zygote_fork"][0] + med["zygote_own"][0]
    for label, ms in (("`python3 main.py` (exec)", med["python_exec"][0]),
                      ("**the budget for %.1f×**" % target, budget),
                      ("a zygote run (its fork + the zygote's side)", zygote_run),
                      ("the least fork-based run (fork, compile, run, `_exit`)", med["minimal_fork_run"][0]),
                      ("a bare `fork()` + `_exit()`", med["bare_fork"][0])):
        print("| %s | %.1f | %.0f %% |" % (label, ms, ms * 100 / med["python_exec"][0]))

if __name__ == "__main__":
    main()
