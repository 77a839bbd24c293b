"""pyjudge's in-container supervisor: the container's init (PID 1), which runs
one script under coreutils timeout and reports how it ended on a channel the
script cannot forge.

As PID 1 it reaps every orphan the script leaves, and the kernel drops any
signal sent to it from inside the container unless it installed a handler
(it installs none), so the script cannot kill it. Docker's own init
(HostConfig.Init) would add a process and ~15 % of the engine's cost per job
without either property.

Protocol (version 2, matched by the image label org.pyjudge.protocol):
  stdin  = one header line "pyjudge VERSION NONCE BUNDLE_BYTES ENTRY
           TIME_LIMIT KILL_GRACE" (space-separated ASCII; no JSON, whose
           import alone costs ~10 ms a job), then exactly BUNDLE_BYTES of a tar
           stream whose plain files are unpacked into /tmp (the script is
           "entry"), then the script's own stdin, which it inherits unread.
  stderr = the script's stderr, then, after the script and everything it left
           behind are gone, one record: "\\x1epyjudge:" NONCE ":" JSON "\\n"
           (a flat object of integers, nulls and one string, formatted here).
The nonce arrives on stdin before the script exists and this process is made
non-dumpable first, so the script cannot read it from /proc or by ptrace; the
judge ignores any record that does not carry it.
"""

import os
import signal
import sys
import time

PROTOCOL = 2
WORKDIR = "/tmp"
PR_SET_DUMPABLE = 4


def make_undumpable():
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")


def read_line(limit=4096):
    # One byte at a time: anything read past the header would be stolen from
    # the script's stdin.
    out = bytearray()
    while len(out) < limit:
        b = os.read(0, 1)
        if not b:
            raise EOFError("stdin closed inside the header")
        if b == b"\n":
            return bytes(out)
        out += b
    raise ValueError("header too long")


class ExactReader:
    """A file-like view of the next n bytes of fd 0 that never reads past them."""

    def __init__(self, n):
        self.left = n

    def read(self, size=-1):
        if size is None or size < 0 or size > self.left:
            size = self.left
        out = bytearray()
        while len(out) < size:
            chunk = os.read(0, size - len(out))
            if not chunk:
                raise EOFError("stdin closed inside the bundle")
            out += chunk
        self.left -= len(out)
        return bytes(out)


def unpack_bundle(n):
    import tarfile

    reader = ExactReader(n)
    with tarfile.open(fileobj=reader, mode="r|") as tar:
        for member in tar:
            name = member.name
            if not member.isfile() or "/" in name or name.startswith("."):
                raise ValueError("bad bundle member %r" % name)
            src = tar.extractfile(member)
            fd = os.open(os.path.join(WORKDIR, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as dst:
                while True:
                    chunk = src.read(1 << 16)
                    if not chunk:
                        break
                    dst.write(chunk)
    while reader.left:  # tar padding the reader did not ask for
        reader.read(min(reader.left, 1 << 16))


def read_int(path, key=None):
    try:
        with open(path, "rb") as f:
            text = f.read().decode()
    except OSError:
        return None
    if key is None:
        return int(text.split()[0])
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key:
            return int(parts[1])
    return None


def cgroup_counters():
    """(cpu_ns, memory_peak_bytes, oom_kills, version) for this container's cgroup."""
    v1 = "/sys/fs/cgroup/memory/memory.max_usage_in_bytes"
    if os.path.exists(v1):
        cpu = read_int("/sys/fs/cgroup/cpuacct/cpuacct.usage")
        mem = read_int(v1)
        oom = read_int("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill")
        return cpu, mem, oom, "v1"
    usec = read_int("/sys/fs/cgroup/cpu.stat", "usage_usec")
    mem = read_int("/sys/fs/cgroup/memory.peak")
    oom = read_int("/sys/fs/cgroup/memory.events", "oom_kill")
    return (None if usec is None else usec * 1000), mem, oom, "v2"


def main():
    # Python's SIGINT handler is the only one installed by default; without
    # it, signals from inside the container cannot reach PID 1 at all.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    make_undumpable()
    fields = read_line().decode("ascii").split(" ")
    if len(fields) != 7 or fields[0] != "pyjudge" or fields[1] != str(PROTOCOL):
        raise ValueError("bad header (protocol %d expected)" % PROTOCOL)
    _, _, nonce, bundle_bytes, entry, limit, grace = fields
    if not nonce.isalnum() or "/" in entry or entry.startswith("."):
        raise ValueError("bad header fields")
    limit = float(limit)
    grace = float(grace)
    unpack_bundle(int(bundle_bytes))

    cpu0 = cgroup_counters()[0]
    # SIGCHLD is blocked so that each child's exit stays queued for
    # sigtimedwait below (an unblocked SIGCHLD to an init without a handler
    # would simply be dropped).
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    t0 = time.monotonic_ns()
    pid = os.fork()
    if pid == 0:
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            # exec keeps ignored signals ignored: give the script defaults.
            for sig in (signal.SIGPIPE, signal.SIGXFSZ):
                signal.signal(sig, signal.SIG_DFL)
            # repr keeps every digit of the limits ("%g" would round them);
            # a zero grace would turn timeout's SIGKILL off altogether.
            os.execvp("timeout", ["timeout", "-s", "TERM", "-k", repr(max(grace, 0.01)) + "s",
                                  repr(limit) + "s", "python3", entry])
        finally:
            os._exit(127)
    # As init, reap orphans until timeout itself ends. The script can stop
    # timeout (SIGSTOP) but not this process, so the hard deadline is kept
    # here too: past limit + grace + 0.25 s everything is killed.
    deadline = t0 + int((limit + max(grace, 0.01) + 0.25) * 1e9)
    status = usage = None
    while status is None:
        # Reap whatever has exited (orphans included, so they never pile up
        # against the pids limit), a bounded number at a time.
        for _ in range(1000):
            try:
                done, st, ru = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if done == 0:
                break
            if done == pid:
                status, usage = st, ru
                break
        if status is not None:
            break
        left = deadline - time.monotonic_ns()
        if left <= 0:
            os.kill(-1, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        signal.sigtimedwait({signal.SIGCHLD}, min(left / 1e9, 0.5))
    wall_ns = time.monotonic_ns() - t0

    # Whatever the script left running (daemons, children holding stdout)
    # goes now, so the record is the last thing on stderr and the counters
    # stop moving.
    try:
        os.kill(-1, signal.SIGKILL)  # everyone but PID 1
    except ProcessLookupError:
        pass
    try:
        while True:
            os.wait4(-1, 0)
    except ChildProcessError:
        pass

    cpu1, mem, oom, version = cgroup_counters()
    if cpu0 is not None and cpu1 is not None:
        cpu_ns = cpu1 - cpu0
    else:
        cpu_ns = int((usage.ru_utime + usage.ru_stime) * 1e9)

    record = (
        ("v", PROTOCOL),
        ("rc", os.WEXITSTATUS(status) if os.WIFEXITED(status) else None),
        ("signal", os.WTERMSIG(status) if os.WIFSIGNALED(status) else None),
        ("wall_ns", wall_ns),
        ("cpu_ns", cpu_ns),
        ("memory_peak", mem),
        ("oom_kills", oom),
    )
    body = ", ".join('"%s": %s' % (k, "null" if v is None else int(v)) for k, v in record)
    line = ("\x1epyjudge:%s:{%s, \"cgroup\": \"%s\"}\n" % (nonce, body, version)).encode()
    # The script may have left stderr non-blocking (the pipe is shared) and
    # full: write the record in blocking mode, all of it.
    os.set_blocking(2, True)
    view = memoryview(line)
    while view:
        view = view[os.write(2, view):]
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # the judge sees a missing record and exit 99
        try:
            os.set_blocking(2, True)
            os.write(2, ("pyjudge supervisor: %s\n" % exc).encode())
        finally:
            os._exit(99)
