# expect: MLE
# limits: memory=64m time_limit=10
# Grows 4 MiB at a time, touching every page.
import time

hoard = []
while True:
    hoard.append(bytearray(b"y" * (4 << 20)))
    time.sleep(0.01)
