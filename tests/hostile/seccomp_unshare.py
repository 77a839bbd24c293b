# expect: OK
# stdout-has: unshare: EPERM
# Refused by seccomp: a new user namespace (CLONE_NEWUSER) is the first step of many container escapes.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (272, 0x10000000)])
e = ctypes.get_errno()
print("unshare:", "allowed" if r != -1 else errno.errorcode.get(e, e))
