# expect: OK
# stdout-has: init_module: EPERM
# Refused by seccomp: loading a kernel module.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (175, 0, 0, 0)])
e = ctypes.get_errno()
print("init_module:", "allowed" if r != -1 else errno.errorcode.get(e, e))
