"""Function grading's Python harness end to end on the host, without Docker:
images/python/harness/staff.py and student.py under a fake supervisor
(fake_supervisor.py beside this file) in temporary folders, their report
read back and checked: verdicts, scores, messages a student may read, the
proxies, exceptions and output crossing between the two processes.

staff.py needs pytest: the interpreter is $PYJUDGE_TEST_PYTHON, or this one,
or /usr/bin/python3 (Debian's python3-pytest), whichever imports pytest."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "images", "python", "harness"))


def find_python():
    for candidate in (os.environ.get("PYJUDGE_TEST_PYTHON"), sys.executable, "/usr/bin/python3"):
        if candidate and subprocess.run([candidate, "-I", "-c", "import pytest"], capture_output=True).returncode == 0:
            return candidate
    raise RuntimeError("no python3 with pytest found: install python3-pytest (apt-get install python3-pytest) "
                       "or set PYJUDGE_TEST_PYTHON")


PYTHON = None


def run(student, staff, module="stats", collect=False, test_wall=10.0):
    """Runs a function grading; (exit status, report lines, stderr).
    `student` and `staff` map file names to their text."""
    global PYTHON
    if PYTHON is None:
        PYTHON = find_python()
    with tempfile.TemporaryDirectory() as root:
        dirs = {}
        for name, files in (("work", student), ("staff", staff)):
            dirs[name] = os.path.join(root, name)
            os.mkdir(dirs[name])
            for path, text in files.items():
                with open(os.path.join(dirs[name], path), "w", encoding="utf-8") as f:
                    f.write(textwrap.dedent(text))
        argv = [sys.executable, os.path.join(HERE, "fake_supervisor.py"), "--python", PYTHON, "--harness", HARNESS,
                "--staff", dirs["staff"], "--work", dirs["work"], "--module", module, "--test-wall", str(test_wall)]
        if collect:
            argv.append("--collect")
        proc = subprocess.run(argv, capture_output=True, timeout=120)
    lines = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return proc.returncode, lines, proc.stderr.decode("utf-8", errors="replace")


def by_name(lines):
    return {line["name"]: line for line in lines if line["event"] == "test"}


STATS = """\
    import sys

    LIMIT = 10
    NAMES = ["a", "b"]

    def mean(xs):
        if not isinstance(xs, list):
            raise TypeError("mean takes a list")
        if not xs:
            raise ValueError("mean of an empty list")
        return sum(xs) / len(xs)

    def shout(text):
        print("shouting", text)
        print("careful", file=sys.stderr)
        return text.upper()

    class EmptyStackError(Exception):
        pass

    class Stack:
        def __init__(self, items=()):
            self.items = list(items)
            self.pushes = 0

        def push(self, x):
            self.items.append(x)
            self.pushes += 1
            return self

        def pop(self):
            if not self.items:
                raise EmptyStackError("pop from an empty stack")
            return self.items.pop()

        def peek(self):
            return self.items[-1]

        def __len__(self):
            return len(self.items)

        def __iter__(self):
            return iter(self.items)

        def __contains__(self, x):
            return x in self.items

        def __getitem__(self, i):
            return self.items[i]

        def __repr__(self):
            return f"Stack({self.items!r})"

    def same(a, b):
        return a is b
"""

STATS_TESTS = """\
    import unittest

    import pytest

    import stats
    from stats import LIMIT, NAMES, Stack, mean
    from pyjudge_functions import StudentError


    class TestMean(unittest.TestCase):
        def test_value(self):
            self.assertEqual(mean([1, 2, 3, 4]), 2.5)

        def test_constants(self):
            self.assertEqual(LIMIT, 10)
            self.assertEqual(NAMES, ["a", "b"])
            self.assertEqual(stats.LIMIT, 10)

        def test_empty_raises_value_error(self):
            with self.assertRaises(ValueError) as caught:
                mean([])
            self.assertIn("empty", str(caught.exception))

        def test_type_error(self):
            with pytest.raises(TypeError, match="takes a list"):
                mean("abc")


    def test_stack_through_handles():
        s = Stack()
        assert s.push(1) == s          # the same object is the same handle
        s.push(2).push(3)
        assert len(s) == 3
        assert list(s) == [1, 2, 3]
        assert 2 in s and 7 not in s
        assert s[0] == 1
        assert s.peek() == 3
        assert s.pop() == 3
        assert s.pushes == 3
        s.pushes = 10
        assert s.pushes == 10
        assert repr(s) == "Stack([1, 2])"
        assert stats.same(s, s) is True
        t = stats.Stack([1, 2])
        assert t != s and s != t
        assert len({s, t, s}) == 2


    def test_handle_never_equals_plain_data():
        s = Stack([1])
        assert s != [1]
        assert not (s == 1)
        assert s not in ([1], 1, None)


    def test_custom_exception_is_student_error():
        with pytest.raises(StudentError) as caught:
            Stack().pop()
        assert "stats.EmptyStackError" in str(caught.value)
        assert "pop from an empty stack" in str(caught.value)


    def test_output_reaches_capsys(capsys):
        assert stats.shout("hi") == "HI"
        captured = capsys.readouterr()
        assert captured.out == "shouting hi\\n"
        assert captured.err == "careful\\n"


    def test_staff_callbacks_are_refused():
        with pytest.raises(TypeError, match="callbacks"):
            mean(lambda: 1)
"""


class Correct(unittest.TestCase):
    def test_a_correct_submission_passes_every_test(self):
        code, lines, err = run({"stats.py": STATS}, {"test_stats.py": STATS_TESTS})
        self.assertEqual(code, 0, err)
        tests = by_name(lines)
        self.assertEqual(len(tests), 9, lines)
        for name, line in tests.items():
            with self.subTest(name=name):
                self.assertEqual((line["verdict"], line["message"]), ("AC", ""))
                self.assertEqual(line["score"], 1.0)
                self.assertIsInstance(line["cpu_ns"], int)
        self.assertEqual(lines[-1], {"event": "end", "tests": 9})
        self.assertEqual(tests["test_output_reaches_capsys"]["stdout"], "shouting hi\n")
        self.assertEqual(tests["test_output_reaches_capsys"]["stderr"], "careful\n")
        self.assertEqual(tests["TestMean.test_value"]["id"], "test_stats.py::TestMean::test_value")


WRONG = """\
    def mean(xs):
        return sum(xs) / (len(xs) + 1)

    def fail(xs):
        helper = xs[0]
        return 1 / helper

    class AlwaysEqual(int):
        def __eq__(self, other):
            return True
        __hash__ = int.__hash__

    class Equalish:
        def __eq__(self, other):
            return True

    def always_equal():
        return AlwaysEqual(3)

    def equalish():
        return Equalish()
"""

WRONG_TESTS = """\
    import unittest
    from stats import mean, fail, always_equal, equalish
    from gradescope_utils.autograder_utils.decorators import hide_errors

    SECRET_EXPECTED = 2.5


    class TestMean(unittest.TestCase):
        def test_unittest_compare(self):
            self.assertEqual(mean([1, 2, 3, 4]), SECRET_EXPECTED)

        def test_student_exception(self):
            fail([0])

        def test_always_equal_int(self):
            self.assertEqual(always_equal(), 5)

        def test_equalish_object(self):
            self.assertEqual(equalish(), 5)


    def test_pytest_compare():
        # the staff's secret comment
        expected = SECRET_EXPECTED
        assert mean([1, 2, 3, 4]) == expected, "the mean of 1..4"


    @hide_errors("Check the mean.")
    def test_hidden():
        assert mean([1, 2, 3, 4]) == SECRET_EXPECTED
"""


class Wrong(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.code, cls.lines, cls.err = run({"stats.py": WRONG}, {"test_stats.py": WRONG_TESTS})
        cls.tests = by_name(cls.lines)

    def assertNoStaff(self, message):
        for leak in ("SECRET_EXPECTED", "secret comment", "test_stats.py", "where", "expected ="):
            self.assertNotIn(leak, message)

    def test_wa_shows_the_compared_reprs(self):
        self.assertEqual(self.code, 0, self.err)
        unit = self.tests["TestMean.test_unittest_compare"]
        self.assertEqual((unit["verdict"], unit["score"]), ("WA", 0.0))
        self.assertIn("2.0 != 2.5", unit["message"])
        self.assertNoStaff(unit["message"])
        bare = self.tests["test_pytest_compare"]
        self.assertEqual(bare["verdict"], "WA")
        self.assertIn("assert 2.0 == 2.5", bare["message"])
        self.assertIn("the mean of 1..4", bare["message"])
        self.assertNoStaff(bare["message"])

    def test_re_shows_the_students_frames_only(self):
        line = self.tests["TestMean.test_student_exception"]
        self.assertEqual(line["verdict"], "RE")
        self.assertIn("ZeroDivisionError: division by zero", line["message"])
        self.assertIn("stats.py\", line 6, in fail", line["message"])
        self.assertIn("return 1 / helper", line["message"])
        self.assertNoStaff(line["message"])
        self.assertNotIn("harness", line["message"])

    def test_a_plain_subclass_that_equals_everything_cannot_pass(self):
        line = self.tests["TestMean.test_always_equal_int"]
        self.assertEqual(line["verdict"], "RE")
        self.assertIn("stats.AlwaysEqual", line["message"])

    def test_an_object_that_equals_everything_is_a_handle_and_cannot_pass(self):
        line = self.tests["TestMean.test_equalish_object"]
        self.assertEqual(line["verdict"], "WA")

    def test_hide_errors_replaces_the_message(self):
        line = self.tests["test_hidden"]
        self.assertEqual((line["verdict"], line["message"]), ("WA", "Check the mean."))


class Crossing(unittest.TestCase):
    def test_the_callers_frames_hold_nothing_of_the_staffs(self):
        student = {"stats.py": """\
            import gc, inspect, sys

            def snoop():
                seen = []
                for info in inspect.stack():
                    seen.append(info.filename)
                    seen.extend(str(v)[:200] for v in info.frame.f_locals.values())
                    seen.extend(info.frame.f_globals)
                frame = sys._getframe()
                while frame is not None:
                    seen.append(frame.f_code.co_filename)
                    frame = frame.f_back
                return "\\n".join(seen)
        """}
        staff = {"test_snoop.py": """\
            import os
            from stats import snoop
            TOP_SECRET = "the-answer-is-42"

            def test_snoop():
                seen = snoop()
                assert "the-answer-is-42" not in seen
                assert "TOP_SECRET" not in seen
                assert "test_snoop" not in seen
                assert os.path.dirname(__file__) not in seen
        """}
        code, lines, err = run(student, staff)
        self.assertEqual(code, 0, err)
        self.assertEqual(by_name(lines)["test_snoop"]["verdict"], "AC", lines)

    def test_an_exit_in_a_call_fails_that_test_only(self):
        student = {"stats.py": """\
            import os

            def leave():
                print("bye")
                os._exit(0)

            def ok():
                return 1
        """}
        staff = {"test_exit.py": """\
            from stats import leave, ok

            def test_1_exit():
                leave()

            def test_2_next():
                assert ok() == 1
        """}
        code, lines, err = run(student, staff)
        self.assertEqual(code, 0, err)
        tests = by_name(lines)
        self.assertEqual(tests["test_1_exit"]["verdict"], "RE")
        self.assertIn("ended during stats.leave()", tests["test_1_exit"]["message"])
        self.assertIn("exit status 0", tests["test_1_exit"]["message"])
        self.assertEqual(tests["test_2_next"]["verdict"], "AC")

    def test_a_handle_from_an_earlier_test_is_stale(self):
        staff = {"test_stale.py": """\
            from stats import Stack
            kept = []

            def test_1():
                kept.append(Stack([1]))
                assert len(kept[0]) == 1

            def test_2():
                assert len(kept[0]) == 1
        """}
        code, lines, err = run({"stats.py": STATS}, staff)
        tests = by_name(lines)
        self.assertEqual(tests["test_1"]["verdict"], "AC")
        self.assertEqual(tests["test_2"]["verdict"], "RE")
        self.assertIn("stale handle", tests["test_2"]["message"])

    def test_an_endless_call_is_tle_and_the_next_test_runs(self):
        student = {"stats.py": """\
            def spin():
                while True:
                    pass

            def ok():
                return 1
        """}
        staff = {"test_spin.py": """\
            from stats import spin, ok

            def test_1_spin():
                spin()

            def test_2_ok():
                assert ok() == 1
        """}
        code, lines, err = run(student, staff, test_wall=1.0)
        tests = by_name(lines)
        self.assertEqual(tests["test_1_spin"]["verdict"], "TLE", lines)
        self.assertEqual(tests["test_2_ok"]["verdict"], "AC", lines)

    def test_output_of_calls_reaches_the_report_and_redirect_stdout(self):
        staff = {"test_out.py": """\
            import contextlib, io, unittest
            import stats

            class TestOut(unittest.TestCase):
                def test_redirect(self):
                    buf = io.StringIO()
                    with contextlib.redirect_stdout(buf):
                        stats.shout("a")
                    self.assertEqual(buf.getvalue(), "shouting a\\n")

            def test_report():
                stats.shout("b")
                print("the staff's own print")
        """}
        code, lines, err = run({"stats.py": STATS}, staff)
        tests = by_name(lines)
        self.assertEqual(tests["TestOut.test_redirect"]["verdict"], "AC", lines)
        self.assertEqual(tests["test_report"]["stdout"], "shouting b\n")
        self.assertEqual(tests["test_report"]["stderr"], "careful\n")


class Import(unittest.TestCase):
    def test_an_import_error_fails_every_test(self):
        student = {"stats.py": """\
            print("loading")
            def helper():
                raise RuntimeError("no data file")
            helper()
        """}
        staff = {"test_x.py": """\
            from stats import mean

            def test_a():
                assert mean([1]) == 1

            def test_b():
                pass
        """}
        code, lines, err = run(student, staff)
        self.assertEqual(code, 0, err)
        tests = by_name(lines)
        self.assertEqual(len(tests), 2)
        for line in tests.values():
            self.assertEqual(line["verdict"], "RE")
            self.assertIn("RuntimeError: no data file", line["message"])
            self.assertIn("in helper", line["message"])
            self.assertIn("loading", line["stdout"])

    def test_a_syntax_error_names_the_line(self):
        code, lines, err = run({"stats.py": "def mean(xs:\n    return 1\n"}, {"test_x.py": "def test_a():\n    pass\n"})
        line = by_name(lines)["test_a"]
        self.assertEqual(line["verdict"], "RE")
        self.assertIn("SyntaxError", line["message"])
        self.assertIn("stats.py", line["message"])

    def test_a_staff_collection_error_is_reported(self):
        code, lines, err = run({"stats.py": STATS}, {"test_x.py": "import no_such_module\n"})
        self.assertEqual(code, 3, err)
        self.assertEqual(lines[-1]["event"], "error")
        self.assertIn("no_such_module", lines[-1]["message"])


LABELLED = """\
    import unittest
    from gradescope_utils.autograder_utils.decorators import number, partial_credit, tags, visibility, weight
    from stats import mean


    class TestMean(unittest.TestCase):
        @weight(2.5)
        @number("1.1")
        @visibility("hidden")
        @tags("loops")
        def test_one(self):
            self.assertEqual(mean([2]), 2)

        @partial_credit(4)
        def test_partial(self, set_score):
            set_score(1)
            self.assertEqual(mean([2, 4]), 3)


    @partial_credit(2)
    def test_partial_pytest(set_score):
        set_score(0.5)
        assert mean([1, 3]) == 5


    @partial_credit(2)
    def test_partial_capped(set_score):
        set_score(7)
"""


class Labels(unittest.TestCase):
    def test_collect_mode_lists_the_tests_and_their_labels(self):
        code, lines, err = run({}, {"test_l.py": LABELLED}, collect=True)
        self.assertEqual(code, 0, err)
        self.assertEqual([line["event"] for line in lines], ["collected"] * 4 + ["end"])
        first = lines[0]
        self.assertEqual(first, {"event": "collected", "id": "test_l.py::TestMean::test_one", "name": "TestMean.test_one",
                                 "number": "1.1", "weight": 2.5, "visibility": "hidden", "tags": ["loops"]})
        self.assertEqual(lines[1]["weight"], 4.0)
        self.assertEqual(lines[1]["number"], None)
        self.assertEqual(lines[1]["visibility"], "visible")
        self.assertEqual(lines[-1], {"event": "end", "tests": 4})

    def test_partial_credit(self):
        code, lines, err = run({"stats.py": STATS}, {"test_l.py": LABELLED})
        self.assertEqual(code, 0, err)
        tests = by_name(lines)
        self.assertEqual((tests["TestMean.test_one"]["verdict"], tests["TestMean.test_one"]["score"]), ("AC", 2.5))
        self.assertEqual((tests["TestMean.test_partial"]["verdict"], tests["TestMean.test_partial"]["score"]), ("AC", 1.0))
        self.assertEqual((tests["test_partial_pytest"]["verdict"], tests["test_partial_pytest"]["score"]), ("WA", 0.5))
        self.assertEqual(tests["test_partial_capped"]["score"], 2.0)


if __name__ == "__main__":
    unittest.main()
