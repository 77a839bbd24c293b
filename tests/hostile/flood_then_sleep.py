# expect: OLE
# Writes past the cap, then sleeps: the judge kills it at the cap, not at the time limit.
import sys
import time

sys.stdout.write("B" * (9 << 20))
sys.stdout.flush()
time.sleep(100)
