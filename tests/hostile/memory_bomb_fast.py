# expect: MLE
# limits: memory=64m time_limit=5
# expect-runsc: IE
# Under gVisor (SECURITY.md) the memory cgroup charges gVisor's Sentry, so the OOM killer ends the sandbox, not the script.
data = b"x" * (1024 * 1024 * 1024)
print(len(data))
