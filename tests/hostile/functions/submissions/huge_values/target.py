"""Answers with values made to choke the staff's side: greet a 2 MB string (under
the 16 MB a value may take, so the staff's process has to take it in), checksum a
list nested 100000 deep, word_count a list that holds itself; each is refused
or fails, never passes, and the tests after them still run: 9 points."""


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
def greet(name):
    return "x" * (2 << 20)


def checksum(text):
    v = []
    for _ in range(100000):
        v = [v]
    return v


def word_count(text):
    loop = [text]
    loop.append(loop)
    return loop
