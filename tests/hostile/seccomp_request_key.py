# expect: OK
# stdout-has: request_key: EPERM
# Refused by seccomp: the kernel keyring is shared with the host.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (249, 0, 0, 0, 0)])
e = ctypes.get_errno()
print("request_key:", "allowed" if r != -1 else errno.errorcode.get(e, e))
