# expect: OK
# stdout-has: perf_event_open: EPERM
# Refused by seccomp: performance counters leak host activity and have had many kernel bugs.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (298, 0, 0, -1, -1, 0)])
e = ctypes.get_errno()
print("perf_event_open:", "allowed" if r != -1 else errno.errorcode.get(e, e))
