# expect: TLE
# limits: time_limit=1 kill_grace=2
# A SIGTERM sent to its own timeout (the leader of its process group, and
# its parent unless it was forked from the zygote) makes timeout forward it and
# re-arm its timer for the kill grace only: the script, ignoring SIGTERM,
# then outlives the limit and exits 0. An exit after the limit is TLE.
import os
import signal
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
time.sleep(0.8)
os.kill(os.getpgrp(), signal.SIGTERM)
time.sleep(0.9)
print("finished after the limit")
sys.exit(0)
