"""gradescope_utils' decorators as pyjudge ships them in the runner image
(images/python/harness/gradescope_utils): the labels Gradescope's own set,
and partial credit through set_score."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "images", "python", "harness"))

from gradescope_utils.autograder_utils.decorators import (  # noqa: E402
    hide_errors, number, partial_credit, tags, visibility, weight)


class Labels(unittest.TestCase):
    def test_each_decorator_sets_gradescopes_attribute(self):
        @weight(2.5)
        @number("1.2")
        @visibility("hidden")
        @tags("loops", "lists")
        @hide_errors("Check the empty list.")
        def test_x():
            pass

        self.assertEqual(test_x.__weight__, 2.5)
        self.assertEqual(test_x.__number__, "1.2")
        self.assertEqual(test_x.__visibility__, "hidden")
        self.assertEqual(test_x.__tags__, ["loops", "lists"])
        self.assertEqual(test_x.__hide_errors__, "Check the empty list.")

    def test_bad_labels_are_refused_when_the_tests_load(self):
        with self.assertRaises(ValueError):
            weight(-1)
        with self.assertRaises(ValueError):
            weight("3")
        with self.assertRaises(ValueError):
            visibility("secret")

    def test_partial_credit_passes_set_score_and_keeps_the_score(self):
        class T(unittest.TestCase):
            @partial_credit(10)
            def test_half(self, set_score=None):
                set_score(4)

        self.assertEqual(T.test_half.__weight__, 10)
        result = unittest.TestResult()
        T("test_half").run(result)
        self.assertTrue(result.wasSuccessful())
        self.assertEqual(T.test_half.__score__, 4)
        self.assertEqual(T.test_half.__name__, "test_half")


if __name__ == "__main__":
    unittest.main()
