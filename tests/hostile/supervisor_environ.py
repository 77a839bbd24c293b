# expect: OK
# stdout-lacks: READ
# stdout-has: checked
# expect-runsc: OK
# Under gVisor (SECURITY.md) /proc/1/environ is readable; it holds only the fixed public Env.
# The supervisor's environment: refused, because the supervisor is non-dumpable.
try:
    open("/proc/1/environ", "rb").read(16)
    print("READ /proc/1/environ")
except OSError:
    pass
print("checked")
