# expect: OK
# limits: time_limit=10
# stdout-bytes: 1000000
# expect-runsc: OK TLE
# Under gVisor (SECURITY.md) system calls are slow on the ptrace platform: a million writes outlast the limit.
# A million unbuffered one-byte writes.
import os

for _ in range(1_000_000):
    os.write(1, b".")
