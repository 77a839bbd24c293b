# expect: OK
# stdout-has: still alive
# expect-runsc: IE
# Under gVisor (SECURITY.md) the script's SIGKILL reaches the supervisor (PID 1); Linux would drop it.
# Tries to kill PID 1 (the supervisor) and every process it can see.
import os
import signal

for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):
    try:
        os.kill(1, sig)
    except OSError:
        pass
print("still alive")
