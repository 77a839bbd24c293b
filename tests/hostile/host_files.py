# expect: OK
# stdout-lacks: READ
# stdout-has: checked
# Reads that must fail: shadow passwords, the supervisor's memory, the host's
# files through /proc (the supervisor's environment: supervisor_environ.py).
for path in ("/etc/shadow", "/proc/1/mem", "/proc/1/root/etc/shadow", "/proc/kcore",
             "/proc/sys/kernel/core_pattern_WRITE"):
    try:
        if path.endswith("_WRITE"):
            open(path.replace("_WRITE", ""), "w").write("|/bin/sh")
        else:
            open(path, "rb").read(16)
        print("READ", path)
    except OSError:
        pass
print("checked")
