# expect: OK
# Closes stdout early, keeps working, exits cleanly.
import sys

print("before")
sys.stdout.flush()
sys.stdout.close()
total = sum(range(10**6))
sys.stderr.write("after %d\n" % total)
