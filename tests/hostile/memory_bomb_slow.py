# expect: MLE
# limits: memory=64m time_limit=10
# expect-runsc: IE
# Under gVisor (SECURITY.md) the memory cgroup charges gVisor's Sentry, so the OOM killer ends the sandbox, not the script.
# Grows 4 MiB at a time, touching every page.
import time

hoard = []
while True:
    hoard.append(bytearray(b"y" * (4 << 20)))
    time.sleep(0.01)
