# expect: OK
# stdout-lacks: WROTE
# stdout-has: tmp ok
# Writes anywhere but /tmp must fail, including where results might be.
import os

for path in ("/x", "/etc/passwd", "/usr/bin/python3", "/opt/pyjudge/supervise.py", "/root/x", "/results/x",
             "/work/x", "/var/tmp/x", "/home/x", "/dev/x"):
    try:
        with open(path, "a") as f:
            f.write("pwned")
        print("WROTE", path)
    except OSError:
        pass
open("/tmp/ok", "w").write("ok")
print("tmp ok")
