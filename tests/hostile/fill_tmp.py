# expect: OK
# stdout-has: /tmp full
# stdout-has: /dev/shm full
# Fills the writable tmpfs mounts: they are capped (and charged to memory).
import os

for place in ("/tmp", "/dev/shm"):
    try:
        with open(os.path.join(place, "fill"), "wb") as f:
            while True:
                f.write(b"z" * (1 << 20))
                f.flush()
    except OSError as e:
        print(place, "full", e.errno)
    os.unlink(os.path.join(place, "fill"))
