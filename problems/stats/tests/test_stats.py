"""Staff tests for problems/stats: unittest with Gradescope's decorators."""
import unittest

from gradescope_utils.autograder_utils.decorators import number, partial_credit, visibility, weight

import stats
from stats import mean, median


class TestMean(unittest.TestCase):
    @weight(2)
    @number("1.1")
    def test_small(self):
        self.assertEqual(mean([1, 2, 3, 4]), 2.5)

    @weight(1)
    @number("1.2")
    def test_empty_raises(self):
        with self.assertRaises(ValueError):
            mean([])


class TestMedian(unittest.TestCase):
    @weight(2)
    @number("2.1")
    def test_odd(self):
        self.assertEqual(median([5, 1, 3]), 3)

    @weight(2)
    @number("2.2")
    @visibility("hidden")
    def test_even(self):
        self.assertEqual(median([4, 1, 3, 2]), 2.5, "the mean of the two middle values")


class TestRunning(unittest.TestCase):
    @number("3.1")
    def test_total(self):
        r = stats.Running()
        for x in (1, 2, 3):
            r.add(x)
        self.assertEqual(r.total(), 6)
        self.assertEqual(r.count, 3)

    @partial_credit(4)
    @number("3.2")
    def test_many(self, set_score=None):
        """A point for each of four sequences summed right."""
        earned = 0
        for seq in ([1], [1, 2], [10, -10, 5], list(range(100))):
            r = stats.Running()
            for x in seq:
                r.add(x)
            if r.total() == sum(seq):
                earned += 1
        set_score(earned)
        self.assertEqual(earned, 4)
