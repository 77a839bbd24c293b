# expect: TLE
# limits: time_limit=1
# Stops its parent, coreutils timeout, so that timeout's timer never acts;
# the supervisor (PID 1, which cannot be stopped) keeps the deadline.
import os
import signal
import time

os.kill(os.getppid(), signal.SIGSTOP)
while True:
    time.sleep(1)
