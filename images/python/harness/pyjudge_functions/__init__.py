"""Function grading's Python side, shared by the two processes of a run
(docs: /work/notes/functions-spec.md, "the in-container protocol").

  wire.py     framing and bounds of the TEST socket (both sides)
  server.py   the student's test process: serves calls (untrusted side)
  control.py  the staff's CONTROL socket to the supervisor (trusted side)
  proxy.py    the staff's proxy module, remote functions, handle proxies
  verdict.py  a test's verdict and the message a student may read
  report.py   the JSON-lines report
  plugin.py   the pytest plugin that ties them together

Staff tests may `from pyjudge_functions import StudentError` to expect an
exception of a type defined by the student's code. Importing this package
imports nothing else, so the student's side stays cheap to start.
"""


def __getattr__(name):
    if name in ("StudentError",):
        from . import proxy
        return getattr(proxy, name)
    raise AttributeError(f"module 'pyjudge_functions' has no attribute {name!r}")
