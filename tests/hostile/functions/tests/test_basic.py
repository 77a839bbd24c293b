"""Staff tests, unittest style with Gradescope's decorators."""
import unittest

from gradescope_utils.autograder_utils.decorators import number, partial_credit, visibility, weight

import target
from target import add, fib, greet


class TestAdd(unittest.TestCase):
    @weight(2)
    @number("1.1")
    def test_small(self):
        self.assertEqual(add(2, 3), 5)

    @weight(1)
    @number("1.2")
    def test_strings(self):
        self.assertEqual(add("ab", "cd"), "abcd")


class TestGreet(unittest.TestCase):
    @weight(2)
    @number("2.1")
    def test_greet(self):
        self.assertEqual(greet("Ada"), "Hello, Ada!")


class TestChecksum(unittest.TestCase):
    @weight(1)
    @number("3.1")
    def test_visible(self):
        self.assertEqual(target.checksum("ab"), 9832)

    @weight(3)
    @number("3.2")
    @visibility("hidden")
    def test_hidden(self):
        self.assertEqual(target.checksum("quokka"), 56152)


class TestFib(unittest.TestCase):
    @partial_credit(3)
    @number("4.1")
    def test_many(self, set_score=None):
        """A point for each of three Fibonacci numbers."""
        earned = 0
        for n, want in ((1, 1), (2, 1), (20, 6765)):
            if fib(n) == want:
                earned += 1
        set_score(earned)
        self.assertEqual(earned, 3)
