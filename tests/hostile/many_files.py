# expect: OK
# stdout-has: stopped at
# expect-runsc: OK TLE
# Under gVisor (SECURITY.md) system calls are slow on the ptrace platform.
# Millions of empty files: the tmpfs inode cap stops them.
import os

n = 0
try:
    while n < 5_000_000:
        open("/tmp/f%d" % n, "w").close()
        n += 1
    print("NO LIMIT")
except OSError as e:
    print("stopped at", n, "files:", e.errno)
