# expect: OK
# stdout-has: personality: EPERM
# Refused by seccomp: ADDR_NO_RANDOMIZE turns address-space randomisation off; only the default
# personalities are allowed.
# pyjudge's profile refuses it with an error; the script is not killed.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(*[ctypes.c_long(a) for a in (135, 0x0040000)])
e = ctypes.get_errno()
print("personality:", "allowed" if r != -1 else errno.errorcode.get(e, e))
