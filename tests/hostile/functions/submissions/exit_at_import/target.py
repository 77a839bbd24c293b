"""os._exit(0) while the module is imported: every test is RE, 0 points."""


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

print("all tests passed")
os._exit(0)
