# expect: OK
# stdout-has: thread limit reached
# Threads until the pids cap says no.
import threading
import time

threads = []
try:
    for _ in range(100000):
        t = threading.Thread(target=time.sleep, args=(30,), daemon=True)
        t.start()
        threads.append(t)
    print("NO LIMIT")
except RuntimeError:
    print("thread limit reached at", len(threads))
