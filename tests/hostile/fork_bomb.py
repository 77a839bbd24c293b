# expect: TLE
# limits: time_limit=2
# A fork bomb: every process forks forever. The pids cap stops the growth and
# the time limit ends it; the supervisor kills what is left.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
