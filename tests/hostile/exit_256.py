# expect: OK
# exit: 0
# 256 wraps to 0: the process really exits 0.
import sys

sys.exit(256)
