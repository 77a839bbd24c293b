"""The plain-data codec of function grading (images/python/harness/plain.py):
every allowed type round-trips exactly, and a foreign, too-deep or too-large
value is refused, on the way out and on the way in."""

import math
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "images", "python", "harness"))

import plain  # noqa: E402


def roundtrip(value):
    return plain.decode(plain.encode(value))


class RoundTrip(unittest.TestCase):
    def test_scalars(self):
        for v in [None, True, False, 0, -1, 2**200, -(3**500), 10**5000, 1.5, -0.0, 1e308, 5e-324,
                  1 + 2j, complex(-0.0, 1e-9), "", "héllo\u2603", "\ud800lone", b"", bytes(range(256))]:
            with self.subTest(v=v):
                back = roundtrip(v)
                self.assertIs(type(back), type(v))
                if isinstance(v, float) and v == 0:
                    self.assertEqual(math.copysign(1, back), math.copysign(1, v))
                self.assertEqual(back, v)

    def test_nan_and_infinities(self):
        self.assertTrue(math.isnan(roundtrip(float("nan"))))
        self.assertEqual(roundtrip(float("inf")), float("inf"))
        self.assertEqual(roundtrip(float("-inf")), float("-inf"))

    def test_containers_keep_their_types_and_order(self):
        v = {"a": [1, (2, 3), {4, 5}, frozenset({6})], (1, "k"): {"nested": [b"x", None]}, 7: 1.25, None: True}
        back = roundtrip(v)
        self.assertEqual(back, v)
        self.assertEqual(list(back), list(v))
        self.assertIs(type(back["a"][1]), tuple)
        self.assertIs(type(back["a"][2]), set)
        self.assertIs(type(back["a"][3]), frozenset)

    def test_bool_is_not_int(self):
        self.assertIs(roundtrip(True), True)
        self.assertIs(type(roundtrip(1)), int)

    def test_handles(self):
        self.assertEqual(roundtrip(plain.Handle(7)), plain.Handle(7))
        self.assertNotEqual(plain.Handle(7), 7)
        made = []

        class Stack:
            pass

        data = plain.encode([Stack(), 1], make_handle=lambda obj: made.append(obj) or len(made) - 1)
        back = plain.decode(data)
        self.assertEqual(back, [plain.Handle(0), 1])
        self.assertIs(type(made[0]), Stack)


class Refused(unittest.TestCase):
    def test_foreign_types_name_themselves(self):
        class AlwaysEqual(int):
            def __eq__(self, other):
                return True

            __hash__ = int.__hash__

        class Thing:
            pass

        for v in [AlwaysEqual(1), Thing(), [1, Thing()], {"k": AlwaysEqual(2)}, object(), range(3),
                  bytearray(b"x"), print]:
            with self.subTest(v=type(v)):
                with self.assertRaises(plain.NotPlain):
                    plain.encode(v)
        with self.assertRaisesRegex(plain.NotPlain, "AlwaysEqual"):
            plain.encode(AlwaysEqual(1))

    def test_too_deep(self):
        v = []
        for _ in range(plain.MAX_DEPTH + 1):
            v = [v]
        with self.assertRaisesRegex(plain.NotPlain, "deeper"):
            plain.encode(v)

    def test_cycles_end_at_the_depth_bound(self):
        v = []
        v.append(v)
        with self.assertRaises(plain.NotPlain):
            plain.encode(v)

    def test_too_many_parts_and_too_many_bytes(self):
        with self.assertRaisesRegex(plain.NotPlain, "too many parts"):
            plain.encode(list(range(100)), max_items=50)
        with self.assertRaisesRegex(plain.NotPlain, "bytes"):
            plain.encode("x" * 1000, max_bytes=100)
        with self.assertRaises(plain.NotPlain):
            plain.decode(plain.encode(list(range(100))), max_items=50)

    def test_malformed_wire_data(self):
        for data in [b"", b"not json", b"[]", b'["q"]', b'["i", 12]', b'["i", "zz"]', b'["f", "1.5x"]',
                     b'["s", 1]', b'["y", "***"]', b'["l", {}]', b'["d", [[["n"]]]]', b'["S", [["l", []]]]',
                     b'["d", [[["l", []], ["n"]]]]', b'["h", -1]', b'["n", 1]', b"[" * 100000 + b"]" * 100000,
                     "not bytes"]:
            with self.subTest(data=data[:40]):
                with self.assertRaises(plain.NotPlain):
                    plain.decode(data)

    def test_nothing_is_pickled(self):
        with open(plain.__file__, encoding="utf-8") as f:
            source = f.read()
        self.assertNotIn("import pickle", source)
        self.assertNotIn("marshal", source.replace("marshalling", ""))


if __name__ == "__main__":
    unittest.main()
