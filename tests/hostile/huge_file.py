# expect: OK
# stdout-has: refused
# A file larger than the tmpfs: refused, and the space is given back.
import os

try:
    with open("/tmp/huge", "wb") as f:
        f.seek(10 << 30)
        f.write(b"!")
        f.flush()
        f.seek(0)
        while True:
            f.write(b"\0" * (8 << 20))
except OSError as e:
    print("refused", e.errno)
