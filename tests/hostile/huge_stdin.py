# expect: OK
# stdin-bytes: 50000000
# limits: time_limit=10
# stdout-has: 50000000
import sys

print(len(sys.stdin.buffer.read()))
