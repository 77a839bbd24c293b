# expect: TLE
# limits: time_limit=2
# expect-runsc: IE TLE
# Under gVisor (SECURITY.md) the guest tasks cost the Sentry memory and host threads; the sandbox may die first.
# A fork bomb: every process forks forever. The pids cap stops the growth and
# the time limit ends it; the supervisor kills what is left.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
