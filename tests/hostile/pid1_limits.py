# expect: OK
# stdout-has: untouched
# stdout-lacks: CHANGED
# Tries to change PID 1's (the supervisor's) limits, priority and affinity,
# directly and through its process group and user: RLIMIT_CPU 0 would make
# the kernel kill it, and the rest would reach every later run of the
# container. Each attempt must fail; the script's own changes are allowed.
import os
import resource

attempts = [
    ("prlimit RLIMIT_CPU", lambda: resource.prlimit(1, resource.RLIMIT_CPU, (0, 0))),
    ("prlimit RLIMIT_NOFILE", lambda: resource.prlimit(1, resource.RLIMIT_NOFILE, (3, 3))),
    ("prlimit RLIMIT_FSIZE", lambda: resource.prlimit(1, resource.RLIMIT_FSIZE, (1, 1))),
    ("prlimit own pid by number", lambda: resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (5, 5))),
    ("setpriority pid 1", lambda: os.setpriority(os.PRIO_PROCESS, 1, 19)),
    ("setpriority user", lambda: os.setpriority(os.PRIO_USER, 0, 19)),
    ("setpriority group", lambda: os.setpriority(os.PRIO_PGRP, 0, 19)),
    ("setpriority pgid 1", lambda: os.setpriority(os.PRIO_PGRP, 1, 19)),
    ("sched_setaffinity pid 1", lambda: os.sched_setaffinity(1, {0})),
]
for name, attempt in attempts:
    try:
        attempt()
        print("CHANGED", name)
    except OSError:
        pass

# Its own: allowed, and gone with it.
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
os.setpriority(os.PRIO_PROCESS, 0, 10)
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

try:
    with open("/proc/1/limits") as f:  # gVisor has no such file
        if "Max cpu time              0" in f.read():
            print("CHANGED pid 1's CPU limit")
except FileNotFoundError:
    pass
print("untouched")
