# expect: OK
# exit: 0
# stderr-has: EEEE
# Leaves the shared stderr pipe non-blocking, tiny and full as it exits, so
# that the supervisor's report could not be written without blocking.
import fcntl
import os
import sys

F_SETPIPE_SZ = 1031
fcntl.fcntl(2, fcntl.F_SETFL, fcntl.fcntl(2, fcntl.F_GETFL) | os.O_NONBLOCK)
try:
    fcntl.fcntl(2, F_SETPIPE_SZ, 4096)
except OSError:
    pass
for _ in range(200):
    try:
        os.write(2, b"E" * 4096)
    except BlockingIOError:
        pass
os._exit(0)
