# expect: OK
# stdout-lacks: RAISED
# stdout-has: done
# Raising its own limits above the hard caps must fail.
import resource

for name in ("RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_CORE", "RLIMIT_FSIZE"):
    lim = getattr(resource, name)
    soft, hard = resource.getrlimit(lim)
    if hard == resource.RLIM_INFINITY:
        continue
    try:
        resource.setrlimit(lim, (hard + 1, hard + 1))
        print("RAISED", name)
    except (ValueError, OSError):
        pass
print("done")
