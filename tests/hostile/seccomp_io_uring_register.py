# expect: OK
# stdout-has: io_uring_register: EPERM
# Refused by seccomp: the rest of io_uring (without the profile this would be EBADF).
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (427, -1, 0, 0, 0)])
e = ctypes.get_errno()
print("io_uring_register:", "allowed" if r != -1 else errno.errorcode.get(e, e))
