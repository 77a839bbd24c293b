# expect: MLE
# limits: memory=128m time_limit=3
# Big allocations kept forever: on cgroup v1 such a script can reach its cap
# and then stall in reclaim until the wall limit instead of being OOM-killed.
# The first cause is memory: MLE, never TLE (problems/sum/submissions/mle.py).
cache = []
while True:
    cache.append(bytearray(50 * 1024 * 1024))
