# expect: TLE
# limits: time_limit=1
# Stops coreutils timeout, so that timeout's timer never acts; the
# supervisor (PID 1, which cannot be stopped) keeps the deadline. timeout
# leads the run's process group: its parent when exec'd, its process group
# when forked from the zygote (whose pid is its parent's).
import os
import signal
import time

os.kill(os.getpgrp(), signal.SIGSTOP)
while True:
    time.sleep(1)
