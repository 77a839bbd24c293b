"""Keeps a copy of the zygote's socket to the supervisor (fd 3) and sends the
supervisor forged messages on it: at import a ready whose manifest says checksum is a
constant (the hidden test's value), so the staff's side gets a number where a function
was (RE, not points); in greet more forgeries (pid 1, its own pid, another ready) and a
try to read the supervisor's next message (a stolen fork). word_count is wrong ({}):
11 points."""


def add(a, b):
    return a + b


def greet(name):
    return f"Hello, {name}!"


def checksum(text):
    h = 7
    for c in text:
        h = (h * 31 + ord(c)) % 1000003
    return h


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


class Counter:
    def __init__(self, start=0):
        self.value = start

    def increment(self, by=1):
        self.value += by


def word_count(text):
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts


# --- the attempt (later definitions replace the honest ones above) ---
import os
import socket

_COPY = os.dup(3)
_READY = (b'ready\n{"ok":true,"manifest":{"checksum":["plain",["i","0xdb58"]],"add":["callable"],'
          b'"greet":["callable"],"fib":["callable"],"Counter":["callable"],"word_count":["callable"]},"output":""}')


def _forge(sock, messages):
    for msg in messages:
        try:
            sock.send(msg)
        except OSError as e:
            print("send failed:", e)


_forge(socket.socket(fileno=os.dup(_COPY)), [_READY])


def greet(name):
    sock = socket.socket(fileno=os.dup(_COPY))
    _forge(sock, [b"pid 1", b"pid %d" % os.getpid(), _READY, b'ready\n{"ok": false}', b"end", b"begin"])
    sock.settimeout(0.2)
    try:
        msg, fds, _flags, _addr = socket.recv_fds(sock, 1024, 4)
        print("stole", msg, fds)
    except OSError as e:
        print("nothing to steal:", e)
    return f"Hello, {name}!"


def word_count(text):
    return {}
