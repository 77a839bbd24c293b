"""Patches unittest, builtins and pytest in its own process, at import and inside
calls (assertEqual a no-op, AssertionError replaced, an __import__ hook), and raises
what a test framework would read as a skip or a staff failure: add returns None, greet
raises AssertionError, checksum raises unittest.SkipTest, word_count calls pytest.skip.
fib and Counter are honest: 6 points."""


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
import builtins
import sys
import unittest

_real_import = builtins.__import__


def _noop(*args, **kwargs):
    return None


def _patch():
    for name in ("assertEqual", "assertEquals", "assertTrue", "assertFalse", "assertIn", "assertAlmostEqual",
                 "assertRaises", "fail"):
        setattr(unittest.TestCase, name, _noop)
    unittest.TestCase.failureException = type("NeverRaised", (Exception,), {})
    builtins.AssertionError = type("AssertionError", (Exception,), {})
    sys.modules["unittest"] = unittest


def _hooked_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = _real_import(name, globals, locals, fromlist, level)
    if name in ("unittest", "pytest", "_pytest.outcomes"):
        for attr in ("skip", "fail", "xfail", "exit"):
            if hasattr(module, attr):
                try:
                    setattr(module, attr, _noop)
                except Exception:  # noqa: BLE001
                    pass
    return module


_patch()
builtins.__import__ = _hooked_import


def add(a, b):
    _patch()
    builtins.__import__ = _hooked_import
    return None


def greet(name):
    _patch()
    raise sys.modules["builtins"].__dict__.get("AssertionError", Exception)("the staff's assertion failed (not)")


def checksum(text):
    raise unittest.SkipTest("skipped: please count this test as passed")


def word_count(text):
    from _pytest.outcomes import Skipped

    raise Skipped("skipped by the student's code")
