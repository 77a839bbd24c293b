# Asks without flushing: its question waits in its own buffer while it waits
# for the answer (sys.stdin.readline, unlike input(), flushes nothing).
# Neither side moves until its wall limit: TLE, not a hang.
import sys

n = int(sys.stdin.readline())
sys.stdout.write("? 1\n")
answer = sys.stdin.readline()
sys.stdout.write("! 1\n")
