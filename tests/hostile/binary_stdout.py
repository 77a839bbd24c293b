# expect: OK
# stdout-bytes: 512
# Bytes that are not UTF-8 reach the file unchanged.
import sys

sys.stdout.buffer.write(bytes(range(256)) * 2)
