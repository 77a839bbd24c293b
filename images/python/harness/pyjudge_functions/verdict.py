"""A test's verdict, score and the message a student may read (trusted side).

First match wins: the supervisor ended the student's process for CPU or
wall time -> TLE, for memory -> MLE; the test passed -> AC; an
AssertionError (or pytest.fail) of the staff's test -> WA; anything else ->
RE. A WA message is the assertion's own text with pytest's comparison of
the reprs, without its `where` lines (they spell out the staff's
expressions); an RE message is the exception's type and message with the
student's frames only. Nothing here prints a line of the staff's source or
a staff frame.
"""

import re

from . import proxy

MESSAGE_CAP = 4 << 10
_PYTEST_NOISE = re.compile(r"^\s*(\+\s+(where|and)\b|Use -v to get|Full output truncated|\.\.\.Full output)")


def bounded(text, cap=MESSAGE_CAP):
    if len(text) > cap:
        return text[:cap] + f"\n... {len(text) - cap} more characters"
    return text


def assertion_message(exc):
    """The WA message: the assertion's text less pytest's `where` lines."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001
        text = ""
    lines = [line for line in text.splitlines() if not _PYTEST_NOISE.match(line)]
    text = "\n".join(lines).strip()
    return text or "the test's assertion failed"


def describe_exit(exit):
    if type(exit) is dict:
        if type(exit.get("signal")) is int:
            return f"killed by signal {exit['signal']}"
        if type(exit.get("status")) is int:
            return f"exit status {exit['status']}"
    return ""


def student_message(exc, end):
    """The RE message of an exception that came from the student's side."""
    info = getattr(exc, proxy.MARK)
    if isinstance(exc, proxy.StudentProcessEnded):
        how = describe_exit(end.get("exit"))
        return f"the student's process ended during {exc.during}" + (f" ({how})" if how else "")
    if isinstance(exc, proxy.StudentError) and info["type"] in ("ProtocolError", "NotPlain"):
        return exc.student_message
    head = f"{info['type']}: {info['message']}" if info["message"] else info["type"]
    if info["traceback"]:
        return "Traceback (most recent call last):\n" + info["traceback"] + head
    return head


def import_message(module, start):
    """Why the module could not be imported (start is a control.Start)."""
    if start.malformed:
        return "the module's process sent a malformed message"
    if start.error is not None:
        e = start.error
        head = f"{e['type']}: {e['message']}" if e["message"] else e["type"]
        text = f"importing {module} raised {head}"
        if e["traceback"]:
            text += "\nTraceback (most recent call last):\n" + e["traceback"] + head
        return text
    how = describe_exit(start.exit)
    return f"the student's process ended while importing {module}" + (f" ({how})" if how else "")


def decide(*, module, start, end, outcome, failure, wa_types, weight, partial, score, hide):
    """(verdict, score, message).

    outcome: "passed", "failed" or "skipped"; failure: the first failing
    phase's exception (or None), or the skip's reason (a str) when skipped;
    end: the supervisor's `end` reply; score: what set_score recorded."""
    if not start.ok:
        cause = start.cause
        if cause in ("cpu", "wall"):
            return "TLE", 0.0, f"importing {module} took too much " + ("CPU time" if cause == "cpu" else "time")
        if cause == "memory":
            return "MLE", 0.0, f"importing {module} used too much memory"
        return "RE", 0.0, bounded(import_message(module, start))
    cause = end.get("cause")
    if cause in ("cpu", "wall"):
        return "TLE", 0.0, ("the student's code used too much CPU time" if cause == "cpu"
                            else "the student's code took too much time")
    if cause == "memory" or (outcome == "failed" and type(end.get("oom_kills")) is int and end["oom_kills"] > 0):
        return "MLE", 0.0, "the student's code used too much memory"
    earned = None
    if partial and type(score) in (int, float):
        earned = float(min(max(score, 0), weight))
    if outcome == "passed":
        return "AC", earned if earned is not None else float(weight), ""
    if outcome == "skipped":
        return "WA", 0.0, bounded(f"the test was skipped: {failure}")
    if isinstance(failure, wa_types) and getattr(failure, proxy.MARK, None) is None:
        message = assertion_message(failure)
        return "WA", earned if earned is not None else 0.0, hide if hide is not None else bounded(message)
    if getattr(failure, proxy.MARK, None) is not None:
        message = student_message(failure, end)
    elif failure is None:
        message = "the test failed"
    else:
        try:
            message = f"{type(failure).__name__}: {failure}"
        except Exception:  # noqa: BLE001
            message = type(failure).__name__
    return "RE", 0.0, hide if hide is not None else bounded(message)
