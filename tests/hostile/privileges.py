# expect: OK
# stdout-has: uid 10001
# stdout-has: CapEff: 0000000000000000
# stdout-has: CapBnd: 0000000000000000
# stdout-has: NoNewPrivs: 1
# stdout-lacks: BECAME ROOT
import ctypes
import os

print("uid", os.getuid(), os.geteuid())
for line in open("/proc/self/status"):
    if line.startswith(("Cap", "Seccomp")):
        print(" ".join(line.split()))
# Asked of the kernel itself (PR_GET_NO_NEW_PRIVS): gVisor's /proc has no NoNewPrivs line.
print("NoNewPrivs:", ctypes.CDLL(None).prctl(39, 0, 0, 0, 0))
for attempt in (lambda: os.setuid(0), lambda: os.setgid(0), lambda: os.chroot("/tmp")):
    try:
        attempt()
        print("BECAME ROOT")
    except OSError:
        pass
