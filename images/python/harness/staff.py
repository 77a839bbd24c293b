"""The staff's process of a function run (trusted side).

    python3 -I -B staff.py MODULE [--collect] [--staff-dir DIR]

Run by the supervisor as the staff's uid with cwd DIR (default /tmp/staff,
the problem's tests/ folder). It runs the staff's tests with pytest
in-process and pyjudge's plugin (pyjudge_functions/plugin.py), the student's
module standing in as a proxy (pyjudge_functions/proxy.py) whose calls go
to a fresh student process for each test, asked of the supervisor over fd 3
(the CONTROL socket). The report, JSON lines, goes to the fd that was
stdout when it started; pytest's own output goes to stderr. With
--collect it only lists the tests (no student process, no fd 3).

It trusts the staff's tests and the supervisor's own replies; from the
student's process it accepts only bounded, decoded plain data. Exit
status: 0, or 3 after a collection error of the staff's tests.
"""

import os
import sys

HARNESS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HARNESS)

# Nothing of the environment may add plugins or options to pytest.
for _name in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
    os.environ.pop(_name, None)
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"

# pytest's built-in plugins that staff tests do not need (each costs start-up time).
UNUSED_PLUGINS = ("cacheprovider", "pastebin", "nose", "junitxml", "doctest", "setuponly", "setupplan",
                  "stepwise", "freeze_support", "faulthandler", "legacypath")
CONFIG_FILES = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


def parse_args(argv):
    module, collect, staff_dir = None, False, "/tmp/staff"
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--collect":
            collect = True
        elif arg == "--staff-dir" and i + 1 < len(argv):
            staff_dir = argv[i + 1]
            i += 1
        elif module is None and not arg.startswith("-"):
            module = arg
        else:
            sys.exit(f"usage: staff.py MODULE [--collect] [--staff-dir DIR] (not {arg!r})")
        i += 1
    if module is None or not module.isidentifier():
        sys.exit("usage: staff.py MODULE [--collect] [--staff-dir DIR]")
    return module, collect, os.path.realpath(staff_dir)


def pytest_args(staff_dir, collect):
    # An explicit config file: without one pytest would look above the
    # staff's folder (/tmp), where the student's process may write.
    config = next((os.path.join(staff_dir, f) for f in CONFIG_FILES
                   if os.path.isfile(os.path.join(staff_dir, f))), os.devnull)
    args = [staff_dir, "-c", config, "--rootdir", staff_dir, "--confcutdir", staff_dir,
            "-o", "python_files=test_*.py *_test.py", "--capture=sys", "-q", "--tb=no", "-rN"]
    for name in UNUSED_PLUGINS:
        args += ["-p", f"no:{name}"]
    if collect:
        args.append("--collect-only")
    return args


def main():
    module, collect, staff_dir = parse_args(sys.argv[1:])
    # The report keeps the stdout we were given; fd 1 becomes stderr so that
    # nothing else (pytest, the staff's prints) reaches the report.
    report_fd = os.dup(1)
    os.dup2(2, 1)
    sys.path.insert(1, staff_dir)
    private_tmp = os.path.join(staff_dir, ".pyjudge-tmp")
    os.makedirs(private_tmp, mode=0o700, exist_ok=True)
    os.environ["TMPDIR"] = private_tmp

    import pytest

    import plain  # noqa: F401 - the harness's modules, before the staff's folder can shadow them
    from pyjudge_functions import control, plugin, proxy, report

    reporter = report.Reporter(report_fd)
    proxy.install(module)
    channel = None
    if not collect:
        channel = control.Control(3)
        # The first test process tells the manifest before collection, so a
        # `from MODULE import CONSTANT` at the top of a test file gets the value.
        proxy.learn(channel.begin())
        channel.end()
    hooks = plugin.Plugin(module, reporter, channel, collect)
    code = pytest.main(pytest_args(staff_dir, collect), plugins=[hooks, plugin])
    sys.stdout.flush()
    if hooks.errors:
        reporter.error("\n".join(hooks.errors))
        return 3
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        reporter.error(f"pytest stopped with exit code {int(code)} (see the run's stderr)")
        return 3
    reporter.end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
