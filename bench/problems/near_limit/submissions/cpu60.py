# About 60 % of the 1 s time limit in CPU, then the answer.
import sys
import time

end = time.process_time() + 0.57
x = 0
while time.process_time() < end:
    x += 1
print(sys.stdin.read().strip())
