"""The zygote of a warm script container: an interpreter that has started
the way `python3 main.py` starts, and forks one process per run.

    python3 /opt/pyjudge/harness/zygote.py

Started by the supervisor (PID 1) as root, holding CAP_SETUID, CAP_SETGID
and CAP_SETPCAP only, with fd 3 the ZYGOTE socket (AF_UNIX SOCK_SEQPACKET) and the
container's own environment, so that it starts exactly as a script run's
interpreter does (same flags, same environment, same sys.path but its
first entry). It imports nothing of a submission, ever, and reads nothing a
run can write. It sends `ready`, then serves one run at a time:

    supervisor -> zygote   run PGID CPU_LIMIT_NS ENTRY   + fds: stdin, stdout, stderr
    zygote -> supervisor   pid N                          (or: fail ERRNO, the setup failed)
    zygote -> supervisor   exit WAIT_STATUS MAXRSS_KIB CPU_NS

The run's process joins PGID (coreutils timeout's process group, so that
timeout's signals reach it), takes its stdio, gets RLIMIT_CPU as the exec
launcher sets it, empties its capability bounding set and drops to the
sandbox's uid for good (no capability is left, as in an exec'd run), and
then becomes `python3 ENTRY` as closely as a fork can: sys.modules as the
interpreter had them before its script ran, a new __main__, sys.argv,
sys.orig_argv, sys.path[0], fresh standard streams, and Python's own
handling of SystemExit, uncaught exceptions and exit. README.md ("The
zygote") lists what cannot match. The zygote never holds the run's nonce
or error pipe (a fork's heap is the run's to read): a setup failure reaches
it on a pipe of its own, and PID 1 reports it. A script the compiler
refuses but `python3 main.py` runs (NUL bytes, a .pyc, a zipapp) is exec'd.
"""

import sys

# What the interpreter imported before its script ran: every run starts
# from this set, whatever the zygote imported since.
BASELINE_MODULES = frozenset(sys.modules)
BASELINE_PATH_CACHE = frozenset(sys.path_importer_cache)
# The script's own path is in that cache as `python3 SCRIPT` leaves it.
OWN_PATH = sys.argv[0]

import os  # noqa: E402 - imported by site before this script, in the baseline

import _signal  # noqa: E402 - builtin: never a submission's signal.py
import _socket  # noqa: E402
import ctypes  # noqa: E402
import resource  # noqa: E402

SANDBOX_UID = 10001
LIBC = ctypes.CDLL(None, use_errno=True)
with open("/proc/sys/kernel/cap_last_cap") as _f:
    LAST_CAP = int(_f.read())
del _f
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
MESSAGE_MAX = 8192
STDIO = (("<stdin>", "r"), ("<stdout>", "w"), ("<stderr>", "w"))


def receive(sock):
    """(message bytes, [fds]) of the next message; (b"", []) at EOF."""
    while True:
        try:
            data, ancdata, _flags, _addr = sock.recvmsg(MESSAGE_MAX, _socket.CMSG_SPACE(4 * 8))
            break
        except InterruptedError:
            continue
    fds = []
    for level, kind, payload in ancdata:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            usable = len(payload) - len(payload) % 4
            fds += [int.from_bytes(payload[i:i + 4], sys.byteorder, signed=True) for i in range(0, usable, 4)]
    return data, fds


def become_run(pgid, cpu_limit_ns, fds, report):
    """In the forked child: the run's process group, stdio, limits and uid.
    Returns only when every step held; a failed step's errno goes to
    `report` (the zygote's pipe) and the process exits."""
    try:
        os.setpgid(0, pgid)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, report)
        os.closerange(report + 1, 65536)
        # The OOM killer takes the run before the zygote (as in exec runs).
        adj = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
        os.write(adj, b"1000")
        os.close(adj)
        if cpu_limit_ns > 0:  # the exec launcher's backstop, in whole seconds
            soft = cpu_limit_ns // 1_000_000_000 + 2
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
        for cap in range(LAST_CAP + 1):
            if LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
        os.setgroups([SANDBOX_UID])
        os.setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
        os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
        if os.getresuid() != (SANDBOX_UID,) * 3 or os.getresgid() != (SANDBOX_UID,) * 3:
            raise PermissionError(1, "the uid did not change")
        # A uid change makes a process non-dumpable; an exec'd script is not.
        if LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
        os.chdir("/tmp")
    except OSError as e:
        os.write(report, b"%d" % (e.errno or 1))
        os._exit(127)
    except BaseException:  # noqa: BLE001 - nothing but the report may leave this process
        os.write(report, b"5")
        os._exit(127)
    os.close(report)  # the zygote's read returns: the run is set up


def fresh_stdio():
    """New sys.std* for fds 0-2, made as the interpreter's start makes them."""
    import io

    made = []
    for fd, ((name, mode), old) in enumerate(zip(STDIO, (sys.__stdin__, sys.__stdout__, sys.__stderr__))):
        buffered = io.open(fd, mode + "b", -1, closefd=False)
        buffered.raw.name = name
        line_buffering = buffered.raw.isatty() or fd == 2
        stream = io.TextIOWrapper(buffered, encoding=old.encoding, errors=old.errors, newline="\n",
                                  line_buffering=line_buffering, write_through=False)
        stream.mode = mode
        made.append(stream)
    sys.stdin = sys.__stdin__ = made[0]
    sys.stdout = sys.__stdout__ = made[1]
    sys.stderr = sys.__stderr__ = made[2]


def as_fresh_interpreter(entry):
    """sys and __main__ as `python3 ENTRY` has them when ENTRY starts; the
    new __main__ and the path of the script."""
    path = os.path.abspath(entry)
    for name in list(sys.modules):
        if name not in BASELINE_MODULES:
            del sys.modules[name]
    cache = sys.path_importer_cache
    for key in list(cache):
        if key not in BASELINE_PATH_CACHE:
            del cache[key]
    if OWN_PATH in cache:
        cache[path] = cache.pop(OWN_PATH)
    sys.argv = [entry]
    sys.orig_argv = [sys.orig_argv[0], entry]
    sys.path[0] = os.path.dirname(path)
    fresh_stdio()
    main = type(sys)("__main__")  # __name__, __doc__, __package__, __loader__, __spec__
    main.__loader__ = type(sys.modules["__main__"].__loader__)("__main__", path)
    main.__annotations__ = {}
    main.__builtins__ = sys.modules["builtins"]
    main.__file__ = path
    main.__cached__ = None
    sys.modules["__main__"] = main
    return main, path


def exec_instead(entry):
    """A script only python3's own start runs as it should (NUL bytes,
    which 3.11's compile() refuses, a .pyc, a zipapp): exec'd, as without
    the zygote. The process is already the run's."""
    try:
        os.execv(sys.executable, [sys.orig_argv[0], entry])
    except OSError as e:
        sys.stderr.write(f"{sys.orig_argv[0]}: cannot execute: {e}\n")
        os._exit(127)


def load(entry, main, path):
    """The script's code object, or the run's end as Python ends it when the
    file cannot be read or compiled."""
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as e:
        sys.stderr.write(f"{sys.orig_argv[0]}: can't open file {path!r}: [Errno {e.errno}] {e.strerror}\n")
        flush_io()
        os._exit(2)
    magic = sys.modules["_frozen_importlib_external"].MAGIC_NUMBER
    if b"\0" in source or source.startswith(magic) or b"PK\x05\x06" in source[-65557:]:
        exec_instead(entry)
    try:
        return compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as e:  # reported without a traceback, as Python does
        flush_io()
        end_run(uncaught(e, None, main), main)


def flush_io():
    """What Python does as soon as a script's code has ended: stderr and
    stdout flushed, errors ignored."""
    for stream in (sys.stderr, sys.stdout):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass


def exit_status(e):
    """The status of a SystemExit the script did not catch, its message
    written as Python writes it."""
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF if -(1 << 63) <= code < (1 << 63) else 255
    try:
        sys.stderr.write(str(code) + "\n")
    except BaseException:  # noqa: BLE001
        pass
    return 1


def flushed():
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except BaseException:  # noqa: BLE001
            return False
    return True


def shutdown_threads():
    threading = sys.modules.get("threading")
    if threading is not None:
        try:
            threading._shutdown()
        except Exception:  # noqa: BLE001 - Python reports it as unraisable and goes on
            pass


def end_run(status, main):
    """Python's end of a script, up to its own teardown: the threads are
    joined, the atexit functions run, the standard streams flushed, and the
    script's globals released (their __del__ methods run and their files are
    flushed) before the process exits. The interpreter's full teardown would
    touch, and so copy, every page the fork shares with the zygote; only when
    a flush fails is it left to do that end itself (it then reports the
    failure and exits 120, as after any script)."""
    import atexit

    shutdown_threads()
    atexit._run_exitfuncs()
    if not flushed():
        raise SystemExit(status)
    main.__dict__.clear()
    if not flushed():
        raise SystemExit(status)
    os._exit(status)


def finish(exc, main):
    """The script's code has ended, by `exc` or normally: Python's handling
    of that end (never returns)."""
    flush_io()
    if isinstance(exc, SystemExit):
        end_run(exit_status(exc), main)
    status = 0 if exc is None else uncaught(exc, exc.__traceback__.tb_next, main)
    main.__dict__.pop("__file__", None)  # as Python does after a script that ended so
    main.__dict__.pop("__cached__", None)
    end_run(status, main)


def uncaught(exc, tb, main):
    """An exception the script did not catch: its traceback (the script's
    frames only) through sys.excepthook; returns the exit status, 1, or
    ends by SIGINT for a KeyboardInterrupt. As Python does, __file__ and
    __cached__ then leave __main__."""
    exc.__traceback__ = tb
    sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, tb
    try:
        sys.excepthook(type(exc), exc, tb)
    except BaseException:  # noqa: BLE001
        sys.__excepthook__(type(exc), exc, tb)
    main.__dict__.pop("__file__", None)
    main.__dict__.pop("__cached__", None)
    if not isinstance(exc, KeyboardInterrupt):
        return 1
    # Python ends an interrupted script by SIGINT, after its own shutdown.
    import atexit

    shutdown_threads()
    atexit._run_exitfuncs()
    flush_io()
    _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
    os.kill(os.getpid(), _signal.SIGINT)
    os._exit(130)


def serve(sock):
    """One run after another; returns in a run's process (its entry), and
    ends the zygote when the supervisor closes the socket."""
    while True:
        data, fds = receive(sock)
        if not data and not fds:
            os._exit(0)
        parts = data.decode("utf-8", "replace").split(" ", 3)
        if len(parts) != 4 or parts[0] != "run" or len(fds) != 3 or not parts[1].isdigit() \
                or not parts[2].isdigit() or not parts[3] or "\0" in parts[3]:
            for fd in fds:
                os.close(fd)
            sock.send(b"error a malformed run request")
            continue
        pgid, cpu_limit_ns, entry = int(parts[1]), int(parts[2]), parts[3]
        report_r, report_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            sock.close()
            os.close(report_r)
            become_run(pgid, cpu_limit_ns, fds, report_w)
            return entry
        os.close(report_w)
        for fd in fds:
            os.close(fd)
        failed = b""
        while True:
            chunk = os.read(report_r, 32)
            if not chunk:
                break
            failed += chunk
        os.close(report_r)
        if not failed:
            sock.send(b"pid %d" % pid)
        while True:
            try:
                _pid, status, ru = os.wait4(pid, 0)
                break
            except InterruptedError:
                continue
        if failed:
            sock.send(b"fail " + (failed if failed.isdigit() else b"5"))
            continue
        cpu_ns = round((ru.ru_utime + ru.ru_stime) * 1e9)
        sock.send(b"exit %d %d %d" % (status, ru.ru_maxrss, cpu_ns))


def main():
    sock = _socket.socket(fileno=3)
    sock.send(b"ready")
    return serve(sock)


# Below here runs only in a run's process: the script's code runs from this
# module's level, so that one frame (this one) lies under the script's.
ENTRY = main()
MAIN, PATH = as_fresh_interpreter(ENTRY)
CODE = load(ENTRY, MAIN, PATH)
try:
    exec(CODE, MAIN.__dict__)
except BaseException as e:  # noqa: BLE001 - every end of a script is Python's to report
    finish(e, MAIN)
finish(None, MAIN)
