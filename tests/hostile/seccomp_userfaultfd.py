# expect: OK
# stdout-has: userfaultfd: EPERM
# Refused by seccomp: userfaultfd makes kernel races easy to win.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (323, 0)])
e = ctypes.get_errno()
print("userfaultfd:", "allowed" if r != -1 else errno.errorcode.get(e, e))
