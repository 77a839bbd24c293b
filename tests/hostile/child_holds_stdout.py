# expect: OK
# stdout-has: main done
# limits: time_limit=3
# A background child keeps stdout open after the main process exits.
import os
import sys
import time

if os.fork() == 0:
    while True:
        sys.stdout.write("child\n")
        sys.stdout.flush()
        time.sleep(0.05)
print("main done", flush=True)
