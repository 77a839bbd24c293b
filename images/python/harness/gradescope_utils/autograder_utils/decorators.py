"""The test decorators of Gradescope's gradescope_utils, for staff tests that
pyjudge grades unchanged (written for pyjudge; the names and attributes are
Gradescope's, so the same test files run on both).

Each decorator only labels the test function; pyjudge's harness reads the
labels in the staff's process, never in the student's:

  @weight(n)            __weight__: the test's points (a test without it: 1)
  @number("1.2")        __number__: its number, for ordering
  @visibility(v)        __visibility__: visible, hidden, after_due_date or
                        after_published
  @tags("a", "b")       __tags__
  @hide_errors("msg")   __hide_errors__: the message a student sees instead
                        of the failure's own
  @partial_credit(n)    __weight__ = n; the test takes set_score and may call
                        it with the points earned (__score__)
"""

from functools import wraps

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


def _points(value, what):
    if type(value) not in (int, float) or value != value or value < 0:
        raise ValueError(f"{what} must be a non-negative number, not {value!r}")
    return value


class weight:
    def __init__(self, val):
        self.val = _points(val, "@weight")

    def __call__(self, func):
        func.__weight__ = self.val
        return func


class number:
    def __init__(self, val):
        self.val = str(val)

    def __call__(self, func):
        func.__number__ = self.val
        return func


class visibility:
    def __init__(self, val):
        if val not in VISIBILITIES:
            raise ValueError(f"@visibility must be one of {', '.join(VISIBILITIES)}, not {val!r}")
        self.val = val

    def __call__(self, func):
        func.__visibility__ = self.val
        return func


class tags:
    def __init__(self, *names):
        self.names = [str(n) for n in names]

    def __call__(self, func):
        func.__tags__ = self.names
        return func


class hide_errors:
    def __init__(self, val="Test failed"):
        self.val = str(val)

    def __call__(self, func):
        func.__hide_errors__ = self.val
        return func


class partial_credit:
    """The test is worth `val`; it receives set_score and reports what the
    submission earned, between 0 and `val`."""

    def __init__(self, val):
        self.val = _points(val, "@partial_credit")

    def __call__(self, func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            def set_score(score):
                wrapper.__score__ = _points(score, "set_score")

            kwargs["set_score"] = set_score
            return func(*args, **kwargs)

        wrapper.__weight__ = self.val
        wrapper.__partial_credit__ = True
        return wrapper
