# expect: TLE
# limits: time_limit=10 cpu_time_limit=1
# Burns CPU in children the kernel reaps (SIGCHLD ignored), where wait4's
# rusage cannot see them: the CPU-time limit must hold all the same.
import os
import signal
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
while True:
    if os.fork() == 0:
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        os._exit(0)
    time.sleep(0.35)
