"""The zygote of warm script containers (images/python/harness/zygote.py)
on the host, without Docker: started as the supervisor starts it (fd 3 a
SOCK_SEQPACKET socket), asked for runs as PID 1 asks, its replies and the
runs' processes checked. Needs root, as in the container (the fork drops
to uid 10001); scripts/test.sh runs as root. The interpreter is Debian's
/usr/bin/python3, the image's, which uid 10001 can also exec."""

import os
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ZYGOTE = os.path.normpath(os.path.join(HERE, "..", "..", "..", "images", "python", "harness", "zygote.py"))
PYTHON = "/usr/bin/python3"


class Zygote:
    def __init__(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = ours
        fd = theirs.fileno()
        self.proc = subprocess.Popen([PYTHON, ZYGOTE], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, close_fds=False, cwd="/tmp",
                                     preexec_fn=lambda: (os.dup2(fd, 3), os.setpgid(0, 0)))
        theirs.close()

    def request(self, text, script_dir, stdin=b""):
        """One run; (replies, stdout, stderr)."""
        fds = [os.pipe() for _ in range(3)]
        (in_r, in_w), (out_r, out_w), (err_r, err_w) = fds
        os.write(in_w, stdin)
        os.close(in_w)
        socket.send_fds(self.sock, [text.encode()], [in_r, out_w, err_w])
        for fd in (in_r, out_w, err_w):
            os.close(fd)
        replies = [self.sock.recv(256)]
        if replies[0].startswith(b"pid "):
            replies.append(self.sock.recv(256))
        outputs = []
        for fd in (out_r, err_r):
            chunks = []
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(fd)
            outputs.append(b"".join(chunks).decode())
        return (replies, *outputs)

    def close(self):
        self.sock.close()
        status = self.proc.wait(10)
        self.proc.stderr.close()
        return status


class ZygoteTest(unittest.TestCase):
    def setUp(self):
        self.assertEqual(os.geteuid(), 0, "the zygote's fork changes its uid: run as root (scripts/test.sh does)")
        self.dir = tempfile.mkdtemp(prefix="pyjudge-zygote-test-")
        os.chmod(self.dir, 0o755)
        self.z = Zygote()
        self.assertEqual(self.z.sock.recv(64), b"ready")

    def tearDown(self):
        self.z.close()
        subprocess.run(["rm", "-rf", self.dir])

    def script(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o644)
        return path

    def test_a_run_is_a_fresh_script_of_the_sandbox_user_in_the_given_group(self):
        path = self.script("main.py", "import os, sys, __main__\n"
                                      "print(sys.argv, os.getresuid(), os.getgroups(), os.getpgrp() == os.getsid(0) or os.getpgrp())\n"
                                      "print(__main__.__file__, 'json' in sys.modules, input())\n")
        pgid = os.getpgid(self.z.proc.pid)
        replies, out, err = self.z.request(f"run {pgid} 0 {path}", self.dir, b"typed\n")
        self.assertTrue(replies[0].startswith(b"pid "), replies)
        status = int(replies[1].split()[1])
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), [f"[{path!r}] (10001, 10001, 10001) [10001] {pgid}",
                                            f"{path} False typed"])

    def test_exit_status_and_uncaught_exception_as_python_reports_them(self):
        path = self.script("boom.py", "print('before')\ndef f():\n    raise ValueError('no')\nf()\n")
        pgid = os.getpgid(self.z.proc.pid)
        replies, out, err = self.z.request(f"run {pgid} 0 {path}", self.dir)
        self.assertEqual(int(replies[1].split()[1]) >> 8, 1)
        self.assertEqual(out, "before\n")
        self.assertIn(f'File "{path}", line 4, in <module>', err)
        self.assertIn("ValueError: no", err)
        self.assertNotIn("zygote.py", err)
        path = self.script("exit.py", "import sys\nsys.exit('bye')\n")
        replies, out, err = self.z.request(f"run {pgid} 0 {path}", self.dir)
        self.assertEqual(int(replies[1].split()[1]) >> 8, 1)
        self.assertEqual(err, "bye\n")

    def test_a_setup_failure_comes_back_as_its_errno_and_nothing_runs(self):
        path = self.script("main.py", "print('never')\n")
        # Process group 1 is not in the zygote's session: setpgid fails (EPERM).
        replies, out, _err = self.z.request(f"run 1 0 {path}", self.dir)
        self.assertEqual(replies, [b"fail 1"])
        self.assertEqual(out, "")

    def test_a_script_only_python3_itself_runs_is_execd(self):
        path = self.script("nul.py", "print('before') # \0 after\nprint('next line')\n")
        replies, out, err = self.z.request(f"run {os.getpgid(self.z.proc.pid)} 0 {path}", self.dir)
        # Python 3.11's own start drops the rest of a line after a NUL (a
        # compile() refuses it); either way, the zygote gives what it gives.
        expected = subprocess.run([PYTHON, path], capture_output=True, text=True)
        self.assertEqual(int(replies[1].split()[1]) >> 8, expected.returncode)
        self.assertEqual(out, expected.stdout)

    def test_exit_and_uncaught_flush_stdout_first_and_drop_file(self):
        path = self.script("order.py", "import atexit, threading, time, os\n"
                                       "print('first')\n"
                                       "threading.Thread(target=lambda: (time.sleep(0.1), os.write(1, b'second\\n'))).start()\n"
                                       "atexit.register(lambda: print('__file__' in globals()))\n")
        replies, out, err = self.z.request(f"run {os.getpgid(self.z.proc.pid)} 0 {path}", self.dir)
        expected = subprocess.run([PYTHON, path], capture_output=True, text=True)
        self.assertEqual(out, expected.stdout)
        self.assertEqual(out, "first\nsecond\nFalse\n")

    def test_a_malformed_request_is_refused_and_the_zygote_goes_on(self):
        for bad in ("run", "run x 0 main.py", "fork", "run 5 0 ", "run N 5 0 main.py"):
            replies, *_ = self.z.request(bad, self.dir)
            self.assertEqual(replies, [b"error a malformed run request"])
        path = self.script("main.py", "print('still here')\n")
        replies, out, _ = self.z.request(f"run {os.getpgid(self.z.proc.pid)} 0 {path}", self.dir)
        self.assertEqual(out, "still here\n")

    def test_it_ends_when_the_supervisor_closes_its_socket(self):
        self.assertEqual(self.z.close(), 0)


if __name__ == "__main__":
    unittest.main()
