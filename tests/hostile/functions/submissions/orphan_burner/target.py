"""add forks a child that leaves its session and burns CPU for ever, and answers
right; the supervisor must end it with the test, and the tests after it must not be
charged its CPU: word_count sleeps 3 s (wall time, no CPU) before it
answers right, time in which a burner left running would use more than the 2 s CPU
limit. 17 points."""


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
import time


def add(a, b):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                pass
        os._exit(0)
    return a + b


def word_count(text):
    time.sleep(3)
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts
