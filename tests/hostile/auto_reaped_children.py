# expect: OK
# limits: time_limit=10
# cpu-at-least: 0.6
# expect-runsc: OK
# Under gVisor (SECURITY.md) there is no cgroup CPU counter: the CPU time is rusage's, without the kernel-reaped children.
# With SIGCHLD ignored the kernel reaps the children, so their CPU time never
# reaches wait4's rusage. The run's CPU time still counts it: it comes from
# the container's cgroup.
import os
import signal
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
for _ in range(2):
    if os.fork() == 0:
        end = time.process_time() + 0.4
        while time.process_time() < end:
            pass
        os._exit(0)
# Waits for both without reaping them (they are reaped by the kernel).
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
print("children done")
