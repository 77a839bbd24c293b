# expect: MLE
# limits: memory=128m time_limit=3
# expect-runsc: IE
# Under gVisor (SECURITY.md) the memory cgroup charges gVisor's Sentry, so the OOM killer ends the sandbox, not the script.
# Big allocations kept forever: on cgroup v1 such a script can reach its cap
# and then stall in reclaim until the wall limit instead of being OOM-killed.
# The first cause is memory: MLE, never TLE (problems/sum/submissions/mle.py).
cache = []
while True:
    cache.append(bytearray(50 * 1024 * 1024))
