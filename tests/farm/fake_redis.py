#!/usr/bin/env python3
"""A fake Redis for the farm test: speaks enough RESP on loopback for a
worker to start, then serves stream entries whose ids are not Redis's
(path traversals), as a hostile server or anyone on the farm's plain-TCP
path could. Every command it is sent goes to LOG, one per line, so the test
can see what the worker answered.

    fake_redis.py PORT QUEUE LOG ABSOLUTE

The ids served are ../x, ../../pyjudge-escape and the absolute path
ABSOLUTE (a path joined to an absolute one is that one).
"""
import json
import socketserver
import sys
import threading
import time

PORT, QUEUE, LOG, ABSOLUTE = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
BATCH = "0123456789abcdef0a1b"
BAD_IDS = ["../x", "../../pyjudge-escape", ABSOLUTE]
served = threading.Event()
log_lock = threading.Lock()


def bulk(s):
    b = s if isinstance(s, bytes) else s.encode()
    return b"$%d\r\n%s\r\n" % (len(b), b)


def array(items):
    return b"*%d\r\n" % len(items) + b"".join(items)


def unit(job):
    """A unit a worker would accept but for its entry id."""
    limits = {"time_limit": 2, "kill_grace": 1, "memory": 268435456, "cpus": 1, "pids": 64,
              "output_limit": 1024, "stderr_limit": 1024, "tmp_size": 67108864,
              "cpu_time_limit": None, "runtime": None}
    meta = {"batch": BATCH, "unit": "u0", "shared": False,
            "jobs": [{"id": job, "script": 0, "stdin": None, "files": [], "limits": limits}]}
    return [bulk("v"), bulk("1"), bulk("meta"), bulk(json.dumps(meta)), bulk("b0"), bulk("print('escaped')\n")]


def entries():
    return array([array([bulk(i), array(unit("t%d" % k))]) for k, i in enumerate(BAD_IDS)])


def answer(cmd):
    name = cmd[0].upper()
    if name == b"PING":
        return b"+PONG\r\n"
    if name in (b"AUTH", b"SELECT", b"XGROUP") and (len(cmd) < 2 or cmd[1].upper() != b"DELCONSUMER"):
        return b"+OK\r\n"
    if name == b"XAUTOCLAIM":  # [cursor, entries, deleted]
        return array([bulk("0-0"), array([]), array([])])
    if name == b"XREADGROUP":
        if not served.is_set():
            served.set()
            return array([array([bulk(QUEUE + ":jobs"), entries()])])
        time.sleep(0.2)  # as BLOCK would
        return b"*-1\r\n"
    if name == b"XADD":
        return bulk("%d-0" % int(time.time() * 1000))
    if name in (b"XPENDING", b"XCLAIM"):
        return array([])
    if name == b"HMGET":
        return array([b"$-1\r\n"] * (len(cmd) - 2))
    if name in (b"EXISTS", b"EVAL"):
        return b":1\r\n"
    return b":0\r\n"


def read_command(f):
    line = f.readline()
    if not line:
        return None
    if not line.startswith(b"*"):
        return line.split()
    args = []
    for _ in range(int(line[1:])):
        n = int(f.readline()[1:])
        args.append(f.read(n + 2)[:-2])
    return args


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            cmd = read_command(self.rfile)
            if cmd is None:
                return
            with log_lock, open(LOG, "a") as log:
                log.write(" ".join(a.decode(errors="replace").replace("\n", " ") for a in cmd) + "\n")
            self.wfile.write(answer(cmd))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


with Server(("127.0.0.1", PORT), Handler) as server:
    server.serve_forever()
