# expect: OK
# stdout-has: io_uring_setup: EPERM
# Refused by seccomp: io_uring has been a steady source of kernel privilege escalations; Docker 20.10's
# default profile allows it.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (425, 1, 0)])
e = ctypes.get_errno()
print("io_uring_setup:", "allowed" if r != -1 else errno.errorcode.get(e, e))
