# expect: OK
# limits: time_limit=10
# stdout-bytes: 1000000
# A million unbuffered one-byte writes.
import os

for _ in range(1_000_000):
    os.write(1, b".")
