"""The run's report: JSON lines on the fd that was the staff's stdout
(trusted side; every string in it is bounded before it gets here)."""

import json
import os


class Reporter:
    def __init__(self, fd):
        self.fd = fd
        self.tests = 0

    def write(self, obj):
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
        data = line.encode("utf-8", errors="backslashreplace")
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]

    def collected(self, labels):
        self.tests += 1
        self.write({"event": "collected", **labels})

    def test(self, labels, result):
        self.tests += 1
        self.write({"event": "test", **labels, **result})

    def end(self):
        self.write({"event": "end", "tests": self.tests})

    def error(self, message):
        self.write({"event": "error", "message": message})
