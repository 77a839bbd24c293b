"""The student's process of a function run: the zygote (untrusted side).

    python3 -I -B student.py MODULE [--work-dir DIR]

Run by the supervisor as the student's uid with cwd DIR (default /tmp/work)
and fd 3 the ZYGOTE socket (AF_UNIX SOCK_SEQPACKET). It imports MODULE once,
capturing what the import prints, and sends `ready\\n` + JSON: the module's
public names and their kinds (the manifest), or the import's error (then it
exits). Then, for each `fork` message and the TEST socket fd it carries, it
forks a test process and replies `pid N`; when a test process has ended
(killed by the supervisor at the test's end, or by itself), it reaps it and
sends `exit N WAIT_STATUS CPU_NS`. The test process serves the staff's calls
(pyjudge_functions/server.py) until the socket closes.

One fork per test, not two: a test process that a second fork handed to the
supervisor (a subreaper) cost a second copy-on-write fork and an exit per
test. The status the zygote sends only words the message of a test whose
process ended (the staff's side saw its socket close, so the test already
failed); the supervisor takes it from no one else's process than the
zygote's, for the pid it was told, and measures CPU and memory itself.

Everything here runs beside the student's code and trusts none of it; the
staff's side trusts nothing this process sends beyond decoded plain data.
"""

import os
import sys

HARNESS = os.path.dirname(os.path.abspath(__file__))
# The harness's own modules come first while they are imported; the
# student's folder then leads sys.path and the harness goes last (plain.py).
sys.path.insert(0, HARNESS)
import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402

import plain  # noqa: E402
from pyjudge_functions import server, wire  # noqa: E402

del sys.path[0]

READY_CAP = 60 << 10
OUTPUT_CAP = 8 << 10
PLAIN_CAP = 2 << 10
NAME_CAP = 200


def parse_args(argv):
    module, work_dir = None, "/tmp/work"
    i = 0
    while i < len(argv):
        if argv[i] == "--work-dir" and i + 1 < len(argv):
            work_dir = argv[i + 1]
            i += 2
            continue
        if module is None and not argv[i].startswith("-"):
            module = argv[i]
            i += 1
            continue
        sys.exit(f"usage: student.py MODULE [--work-dir DIR] (not {argv[i]!r})")
    if module is None or not all(part.isidentifier() for part in module.split(".")):
        sys.exit("usage: student.py MODULE [--work-dir DIR]")
    return module, os.path.realpath(work_dir)


def import_module(name, work_dir):
    """(module or None, error info or None, what the import printed)."""
    saved = [os.dup(1), os.dup(2)]
    out = os.memfd_create("import-output")
    os.dup2(out, 1)
    os.dup2(out, 2)
    module = error = None
    try:
        module = importlib.import_module(name)
    except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
        error = server.exception_info(e, work_dir)
    server.Capture._flush()
    size = os.fstat(out).st_size
    printed = os.pread(out, min(size, OUTPUT_CAP), 0).decode("utf-8", errors="replace")
    if size > OUTPUT_CAP:
        printed += f"\n... {size - OUTPUT_CAP} more bytes"
    for fd, old in zip((1, 2), saved):
        os.dup2(old, fd)
        os.close(old)
    os.close(out)
    return module, error, printed


def manifest(module):
    """NAME -> KIND for the module's public names, within the message's size."""
    out, size = {}, 0
    try:
        names = [n for n in list(vars(module)) if type(n) is str and not n.startswith("_")]
    except Exception:  # noqa: BLE001
        return out
    for name in names[:5000]:
        if len(name) > NAME_CAP:
            continue
        try:
            value = vars(module)[name]
            if callable(value):
                kind = ["callable"]
            else:
                try:
                    kind = ["plain", json.loads(plain.encode(value, max_items=200, max_bytes=PLAIN_CAP))]
                except plain.NotPlain:
                    kind = ["object"]
        except Exception:  # noqa: BLE001 - a name the module made strange is left out
            continue
        entry = len(wire.dumps({name: kind}))
        if size + entry > READY_CAP - OUTPUT_CAP * 6 - 1024:
            break
        out[name] = kind
        size += entry
    return out


def ready_message(module, error, printed):
    body = {"ok": error is None, "output": printed}
    if error is None:
        body["manifest"] = manifest(module)
    else:
        body["error"] = error
    data = b"ready\n" + wire.dumps(body)
    while len(data) > READY_CAP and body["output"]:  # escaping made the output too long
        body["output"] = body["output"][: len(body["output"]) // 2] + "\n... (cut)"
        data = b"ready\n" + wire.dumps(body)
    if len(data) > READY_CAP and error is not None:
        error["traceback"] = error["traceback"][-2048:]
        error["message"] = error["message"][:1024]
        data = b"ready\n" + wire.dumps(body)
    return data


def start_test_process(control, test_fd, module, work_dir, wake):
    """Fork the process that serves `test_fd`; its pid."""
    pid = os.fork()
    if pid == 0:
        # What the zygote set up to hear of its children is not the test's.
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in wake:
            os.close(fd)
        serve(control, test_fd, module, work_dir)
    return pid


def report_ended(control):
    """Reap every test process that has ended; `exit PID STATUS CPU_NS` each."""
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        except InterruptedError:
            continue
        if pid == 0:
            return
        cpu_ns = int((usage.ru_utime + usage.ru_stime) * 1e9)
        try:
            control.send(b"exit %d %d %d" % (pid, status, cpu_ns))
        except BlockingIOError:
            pass  # made non-blocking by a copy the module kept; PID 1 waits a second, then goes on


def serve(control, test_fd, module, work_dir):
    """The test process: never returns."""
    status = 0
    try:
        control.close()  # fd 3 first: the test process has no way to the supervisor
        sock = socket.socket(fileno=test_fd)
        server.Server(sock, module, work_dir).serve()
    except BaseException:  # noqa: BLE001
        status = 1
    os._exit(status)


def main():
    name, work_dir = parse_args(sys.argv[1:])
    control = socket.socket(fileno=3)
    os.chdir(work_dir)
    sys.path.insert(0, work_dir)
    sys.path.append(HARNESS)
    module, error, printed = import_module(name, work_dir)
    control.send(ready_message(module, error, printed))
    if error is not None:
        os._exit(1)
    # What the import made is shared with every test process: kept out of the
    # collector's reach, its pages are not copied by the first collection.
    gc.collect()
    gc.freeze()
    # A test process's end wakes the loop below: SIGCHLD writes to `wake`.
    wake = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake[1], warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)
    while True:
        try:
            readable, _, _ = select.select([control, wake[0]], [], [])
        except InterruptedError:
            continue
        if wake[0] in readable:
            while True:
                try:
                    if not os.read(wake[0], 512):
                        break
                except (BlockingIOError, InterruptedError):
                    break
            report_ended(control)
        if control not in readable:
            continue
        try:
            msg, fds, _flags, _addr = socket.recv_fds(control, 1024, 4)
        except (InterruptedError, BlockingIOError):
            # BlockingIOError: a test process that kept a copy of this socket
            # may have made it non-blocking (the flag is the socket's, shared
            # by every copy), and the message is not there yet.
            continue
        if not msg and not fds:
            os._exit(0)  # the supervisor closed the socket
        if msg.strip() != b"fork" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            control.send(b"error expected fork with one fd")
            continue
        try:
            pid = start_test_process(control, fds[0], module, work_dir, wake)
        except OSError:
            pid = None
        finally:
            os.close(fds[0])
        control.send(b"pid %d" % pid if pid is not None else b"error the fork failed")


if __name__ == "__main__":
    main()
