"""pyjudge's pytest plugin for function grading (trusted side).

Around each test item: `begin` to the supervisor (a fresh student process
and its TEST socket), the item's setup, call and teardown, `end`, then one
`test` line of the report with the verdict (verdict.py). In collect mode,
one `collected` line per item. Collection errors are kept for staff.py.
Also the `set_score` fixture that @partial_credit's test functions ask for.
"""

import pytest

from gradescope_utils.autograder_utils import decorators

from . import proxy, verdict

COLLECT_ERROR_CAP = 16 << 10


def test_function(item):
    fn = getattr(item, "obj", None)
    return getattr(fn, "__func__", fn)


def labels(item):
    fn = test_function(item)
    weight = getattr(fn, "__weight__", 1)
    number = getattr(fn, "__number__", None)
    visibility = getattr(fn, "__visibility__", "visible")
    tags = getattr(fn, "__tags__", [])
    parts = item.nodeid.split("::")
    return {
        "id": item.nodeid,
        "name": ".".join(parts[1:]) or item.name,
        "number": str(number) if number is not None else None,
        "weight": float(weight) if type(weight) in (int, float) else 1.0,
        "visibility": visibility if visibility in decorators.VISIBILITIES else "visible",
        "tags": [str(t) for t in tags] if isinstance(tags, (list, tuple)) else [],
    }


@pytest.fixture
def set_score(request):
    """Records the points a test earned (for @partial_credit); the decorator's
    own wrapper passes its setter instead, so both end in __score__."""
    fn = getattr(request.function, "__func__", request.function)

    def setter(score):
        fn.__score__ = decorators._points(score, "set_score")

    return setter


class Plugin:
    def __init__(self, module, reporter, control, collect):
        self.module = module
        self.reporter = reporter
        self.control = control
        self.collect = collect
        self.errors = []
        self.phases = []

    def pytest_collectreport(self, report):
        if report.failed:
            text = str(report.longrepr)
            if len(text) > COLLECT_ERROR_CAP:
                text = text[:COLLECT_ERROR_CAP] + "\n..."
            self.errors.append(text)

    def pytest_collection_finish(self, session):
        if self.collect and not self.errors:
            for item in session.items:
                self.reporter.collected(labels(item))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        fn = test_function(item)
        if fn is not None and "__score__" in getattr(fn, "__dict__", {}):
            del fn.__score__
        self.phases = []
        start = self.control.begin()
        link = proxy.start_test(start)
        try:
            yield
        finally:
            proxy.end_test()
            end = self.control.end()
        self.reporter.test(labels(item), self._result(item, fn, start, end, link))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        self.phases.append((report.outcome, call.excinfo, report))

    def _result(self, item, fn, start, end, link):
        outcome, failure = "passed", None
        for state, excinfo, report in self.phases:
            if state == "failed":
                outcome, failure = "failed", excinfo.value if excinfo is not None else None
                break
            if state == "skipped" and outcome == "passed":
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
                outcome, failure = "skipped", str(reason).removeprefix("Skipped: ")
        if not any(report.when == "call" for _, _, report in self.phases) and outcome == "passed":
            outcome, failure = "failed", None
        weight = labels(item)["weight"]
        hide = getattr(fn, "__hide_errors__", None)
        name, score, message = verdict.decide(
            module=self.module, start=start, end=end, outcome=outcome, failure=failure,
            wa_types=(AssertionError, pytest.fail.Exception), weight=weight,
            partial=bool(getattr(fn, "__partial_credit__", False)), score=getattr(fn, "__score__", None),
            hide=str(hide) if hide is not None else None)
        stdout, stderr = link.stdout.text(), link.stderr.text()
        if not start.ok and start.output:
            stdout = start.output + stdout
        return {"verdict": name, "score": score, "message": message, "stdout": stdout, "stderr": stderr,
                "cpu_ns": end.get("cpu_ns") if type(end.get("cpu_ns")) is int else None,
                "wall_ns": end.get("wall_ns") if type(end.get("wall_ns")) is int else None,
                "memory_peak": end.get("memory_peak") if type(end.get("memory_peak")) is int else None}
