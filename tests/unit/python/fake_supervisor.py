"""A stand-in for pyjudge's supervisor in function runs, for the harness's
tests on the host (no Docker, no uids, no cgroups).

    python3 fake_supervisor.py --python PY --harness DIR --staff DIR --work DIR
                               --module NAME [--collect] [--test-wall SECONDS]

It starts staff.py with fd 3 a SOCK_SEQPACKET control socket (and its own
stdout and stderr as the report and diagnostics), and on the first `begin`
starts student.py with fd 3 the zygote socket. Each `begin` asks the zygote
to fork a test process for a fresh SOCK_STREAM socket pair and hands the
staff its end (SCM_RIGHTS); each `end` kills that process and reports the
status and CPU time the zygote sends when it has reaped it (`exit PID
STATUS CPU_NS`; this process is a child subreaper, so it reaps the test
process itself when the zygote is gone). A test process still running --test-wall seconds
after its `begin` is killed with cause "wall". Exits with staff.py's status.
"""

import argparse
import ctypes
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def start(argv, sock, cwd, stdout, stderr):
    """argv with `sock` as fd 3 (and only the standard fds besides)."""
    fd = sock.fileno()
    return subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                            close_fds=False, preexec_fn=lambda: os.dup2(fd, 3))


def exit_of(status):
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    return {"status": os.WEXITSTATUS(status)}


class Supervisor:
    def __init__(self, opts):
        self.opts = opts
        self.zygote = None
        self.zygote_sock = None
        self.ready = None      # the zygote's ready message, after "ready\n"
        self.failed = None     # (exit) when the module could not be imported
        self.test_pid = None
        self.deadline = None
        self.cause = ""

    def start_zygote(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.zygote = start([self.opts.python, "-I", "-B", os.path.join(self.opts.harness, "student.py"),
                             self.opts.module, "--work-dir", self.opts.work], theirs, self.opts.work,
                            subprocess.DEVNULL, subprocess.DEVNULL)
        theirs.close()
        self.zygote_sock = ours
        msg = ours.recv(1 << 16)
        self.ready = msg[len(b"ready\n"):] if msg.startswith(b"ready\n") else b""
        if not msg or json.loads(self.ready).get("ok") is not True:
            self.failed = exit_of(os.waitpid(self.zygote.pid, 0)[1])
            self.zygote.returncode = 0

    def begin(self, staff):
        if self.zygote is None:
            self.start_zygote()
        if self.failed is not None:
            head = json.dumps({"ok": False, "cause": "", "exit": self.failed}).encode()
            staff.send(head + b"\n" + self.ready)
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        socket.send_fds(self.zygote_sock, [b"fork"], [theirs.fileno()])
        theirs.close()
        reply = self.zygote_sock.recv(64)
        self.test_pid = int(reply.split()[1])
        self.cause = ""
        self.deadline = time.monotonic() + self.opts.test_wall
        socket.send_fds(staff, [b'{"ok":true}\n' + self.ready], [ours.fileno()])
        ours.close()

    def kill_test(self):
        if self.test_pid is not None:
            try:
                os.kill(self.test_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def end(self, staff):
        reply = {"cpu_ns": 0, "memory_peak": 0, "cause": self.cause, "exit": None, "oom_kills": 0}
        if self.test_pid is not None:
            # A process that ended by itself keeps its own status (a SIGKILL
            # does not change how an exiting process ends).
            self.kill_test()
            ended = self.reported_exit()
            if ended is not None:
                reply["exit"] = exit_of(ended[0])
                reply["cpu_ns"] = ended[1]
        self.test_pid = None
        self.deadline = None
        staff.send(json.dumps(reply).encode())

    def reported_exit(self, wait=5.0):
        """(wait status, cpu ns) of the test process: from the zygote's
        `exit` message, or reaped here when the zygote is gone."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                pid, status, usage = os.wait4(self.test_pid, os.WNOHANG)
                if pid == self.test_pid:
                    return status, int((usage.ru_utime + usage.ru_stime) * 1e9)
            except ChildProcessError:
                pass
            readable, _, _ = select.select([self.zygote_sock], [], [], 0.01)
            if readable:
                parts = self.zygote_sock.recv(256).split()
                if not parts:
                    continue
                if parts[0] == b"exit" and int(parts[1]) == self.test_pid:
                    return int(parts[2]), int(parts[3])
        return None

    def run(self):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [self.opts.python, "-I", "-B", os.path.join(self.opts.harness, "staff.py"), self.opts.module,
                "--staff-dir", self.opts.staff]
        if self.opts.collect:
            argv.append("--collect")
        staff = start(argv, theirs, self.opts.staff, None, None)
        theirs.close()
        while True:
            timeout = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
            readable, _, _ = select.select([ours], [], [], timeout)
            if not readable:
                self.cause = "wall"
                self.kill_test()
                self.deadline = None
                continue
            msg = ours.recv(1 << 16)
            if not msg:
                break
            if msg == b"begin":
                self.begin(ours)
            elif msg == b"end":
                self.end(ours)
            else:
                sys.stderr.write(f"fake supervisor: unknown message {msg[:100]!r}\n")
                break
        code = staff.wait()
        if self.zygote_sock is not None:
            self.zygote_sock.close()  # the zygote sees end of file and exits
        if self.zygote is not None and self.zygote.returncode is None:
            self.zygote.wait()
        return code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--harness", required=True)
    parser.add_argument("--staff", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--module", required=True)
    parser.add_argument("--collect", action="store_true")
    parser.add_argument("--test-wall", type=float, default=10.0)
    sys.exit(Supervisor(parser.parse_args()).run())


if __name__ == "__main__":
    main()
