# expect: OK
# stdout-has: clone_newuser: EPERM
# Refused by seccomp: clone with a namespace flag (CLONE_NEWUSER | SIGCHLD); plain clone is allowed.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (56, 0x10000000 | 17, 0, 0, 0, 0)])
if r == 0:
    os._exit(0)  # a clone that was allowed: the child leaves at once
e = ctypes.get_errno()
print("clone_newuser:", "allowed" if r != -1 else errno.errorcode.get(e, e))
