# expect: OK
# stdout-has: parent exits
# limits: time_limit=3
# A double-forked, setsid daemon that outlives the main process.
import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(1)
    os._exit(0)
print("parent exits")
