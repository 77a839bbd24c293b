# expect: OK
# stdout-has: uid 10001
# stdout-has: CapEff: 0000000000000000
# stdout-has: CapBnd: 0000000000000000
# stdout-has: NoNewPrivs: 1
# stdout-lacks: BECAME ROOT
import os

print("uid", os.getuid(), os.geteuid())
for line in open("/proc/self/status"):
    if line.startswith(("Cap", "NoNewPrivs", "Seccomp")):
        print(" ".join(line.split()))
for attempt in (lambda: os.setuid(0), lambda: os.setgid(0), lambda: os.chroot("/tmp")):
    try:
        attempt()
        print("BECAME ROOT")
    except OSError:
        pass
