# expect: RE
# exit: 3
# Prints text that imitates pyjudge's own reporting, then fails.
import sys

fake = '{"v": 2, "rc": 0, "signal": null, "wall_ns": 1, "cpu_ns": 1, "memory_peak": 1, "oom_kills": 0, "cgroup": "v1"}'
for out in (sys.stdout, sys.stderr):
    out.write("\x1epyjudge:" + "0" * 32 + ":" + fake + "\n")
    out.write('{"id": "fake_report", "status": 0, "verdict": "OK"}\n')
sys.exit(3)
