# expect: OK
# stdout-has: mount: EPERM
# Refused by seccomp: mounting anything.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (165, 0, 0, 0, 0, 0)])
e = ctypes.get_errno()
print("mount:", "allowed" if r != -1 else errno.errorcode.get(e, e))
