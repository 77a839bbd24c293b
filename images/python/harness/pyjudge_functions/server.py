"""The student's test process: serves the staff's calls on one TEST socket
(untrusted side; it runs the student's code and trusts nothing of it).

Forked from the zygote (student.py) with the module already imported. It
keeps a table of the objects it handed out as handles, captures what each
call prints (fds 1 and 2 point at two memfds, emptied before each call) and
answers every request with plain data, a handle, or the exception the call
raised with the student's own frames only. Nothing of the staff's process
is here to read: a request carries the call's target, name and arguments.
"""

import json
import os
import sys
import traceback

import plain

from . import wire

OUTPUT_CAP = 64 << 10
MESSAGE_CAP = 4 << 10
TRACEBACK_CAP = 8 << 10
TRACEBACK_FRAMES = 30
# Instances of these types' subclasses are refused, not handed out as
# handles: an int subclass with its own __eq__ must not pass as an int.
PLAIN_TYPES = (bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset)
SPECIALS = ("__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__",
            "__str__", "__repr__", "__bool__")


def type_name(t):
    module = getattr(t, "__module__", None)
    name = getattr(t, "__qualname__", None) or getattr(t, "__name__", "?")
    if type(name) is not str:
        name = "?"
    return name if module == "builtins" or type(module) is not str else f"{module}.{name}"


def student_frames(tb, work_dir):
    """The formatted frames of `tb` in files under `work_dir`, last ones kept."""
    prefix = os.path.join(work_dir, "")
    try:
        frames = traceback.extract_tb(tb)
    except Exception:  # noqa: BLE001 - a broken frame must not end the reply
        return ""
    mine = [f for f in frames if isinstance(f.filename, str) and f.filename.startswith(prefix)]
    note = ""
    if len(mine) > TRACEBACK_FRAMES:
        note = f"  ... {len(mine) - TRACEBACK_FRAMES} earlier frames\n"
        mine = mine[-TRACEBACK_FRAMES:]
    out = note + "".join(traceback.format_list(mine))
    return out[-TRACEBACK_CAP:]


def exception_info(exc, work_dir):
    """The `raise` object of a reply (also used for the import's error)."""
    t = type(exc)
    try:
        message = str(exc)
    except BaseException:  # noqa: BLE001
        message = "<the exception's message could not be made>"
    message = str.__str__(message) if isinstance(message, str) else ""
    frames = student_frames(exc.__traceback__, work_dir)
    if isinstance(exc, SyntaxError) and isinstance(exc.filename, str) \
            and exc.filename.startswith(os.path.join(work_dir, "")):
        try:
            frames += "".join(traceback.format_exception_only(t, exc)[:-1])
        except Exception:  # noqa: BLE001
            pass
    info = {"type": type_name(t)[:200], "builtin": getattr(t, "__module__", None) == "builtins",
            "message": message[:MESSAGE_CAP], "traceback": frames}
    try:  # the exception's arguments, when plain, so it can be rebuilt as it was
        info["args"] = json.loads(plain.encode(exc.args, max_items=1000, max_bytes=MESSAGE_CAP))
    except Exception:  # noqa: BLE001 - arguments that are not plain are left out
        pass
    return info


class Capture:
    """fds 1 and 2 on two memfds, emptied before a call and read after it."""

    def __init__(self):
        for fd, name in ((1, "stdout"), (2, "stderr")):
            m = os.memfd_create(name)
            os.dup2(m, fd)
            os.close(m)

    @staticmethod
    def _flush():
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001 - the student may have replaced them
                pass

    def start(self):
        self._flush()
        for fd in (1, 2):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)

    def take(self):
        self._flush()
        out = []
        for fd in (1, 2):
            size = os.fstat(fd).st_size
            data = os.pread(fd, min(size, OUTPUT_CAP), 0)
            s = data.decode("utf-8", errors="replace")
            if size > OUTPUT_CAP:
                s += f"\n... {size - OUTPUT_CAP} more bytes"
            out.append(s)
        return out


class Server:
    def __init__(self, sock, module, work_dir):
        self.sock = sock
        self.module = module
        self.work_dir = work_dir
        self.objects = {}   # handle id -> object
        self.ids = {}       # id(object) -> handle id, so one object is one handle
        self.capture = Capture()

    def handle_of(self, value):
        if isinstance(value, PLAIN_TYPES):
            raise plain.NotPlain(f"a value of type {type_name(type(value))} cannot cross: it is a "
                                 f"subclass of {type_name(type(value).__mro__[1])}, and only the "
                                 "plain types themselves may")
        key = id(value)
        if key not in self.ids:
            self.ids[key] = len(self.objects)
            self.objects[self.ids[key]] = value
        return self.ids[key]

    def _arg(self, value):
        """A decoded argument with its handles replaced by their objects."""
        t = type(value)
        if t is plain.Handle:
            if value.id not in self.objects:
                raise LookupError(f"no object has handle {value.id}")
            return self.objects[value.id]
        if t in (list, tuple, set, frozenset):
            return t(self._arg(v) for v in value)
        if t is dict:
            return {self._arg(k): self._arg(v) for k, v in value.items()}
        return value

    def _target(self, req):
        target = req.get("target")
        if type(target) is dict and target.get("module") is True:
            return self.module
        if type(target) is dict and type(target.get("handle")) is int:
            if target["handle"] not in self.objects:
                raise LookupError(f"no object has handle {target['handle']}")
            return self.objects[target["handle"]]
        raise ValueError("a malformed target")

    def _do(self, req):
        """Run one request: ('value', result) or ('callable', None)."""
        op = req.get("op")
        target = self._target(req)
        attr = req.get("attr")
        if attr is not None and type(attr) is not str:
            raise ValueError("a malformed attribute name")
        if op == "call":
            args = self._arg(wire.value_of(req.get("args")))
            kwargs = self._arg(wire.value_of(req.get("kwargs")))
            if type(args) is not list or type(kwargs) is not dict or any(type(k) is not str for k in kwargs):
                raise ValueError("malformed arguments")
            fn = target if attr is None else getattr(target, attr)
            return "value", fn(*args, **kwargs)
        if op == "getattr" and attr is not None:
            value = getattr(target, attr)
            return ("callable", None) if callable(value) else ("value", value)
        if op == "setattr" and attr is not None:
            setattr(target, attr, self._arg(wire.value_of(req.get("value"))))
            return "value", None
        if op == "special" and req.get("name") in SPECIALS:
            args = self._arg(wire.value_of(req.get("args")))
            return "value", _special(target, req["name"], args)
        raise ValueError("a malformed request")

    def reply(self, req):
        """The reply's bytes for one request."""
        self.capture.start()
        outcome = None
        try:
            kind, value = self._do(req)
            if kind == "callable":
                body = b'"callable":true'
            else:
                body = b'"value":' + plain.encode(value, make_handle=self.handle_of)
        except plain.NotPlain as e:
            outcome = b'"refused":' + wire.dumps(str(e)[:MESSAGE_CAP])
        except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
            outcome = b'"raise":' + wire.dumps(exception_info(e, self.work_dir))
        out, err = self.capture.take()
        head = outcome if outcome is not None else body
        return b"{" + head + b',"stdout":' + wire.dumps(out) + b',"stderr":' + wire.dumps(err) + b"}"

    def serve(self):
        while True:
            try:
                req = wire.recv_frame(self.sock)
            except (wire.Closed, wire.Malformed):
                return
            wire.send_frame(self.sock, self.reply(req))


def _special(obj, name, args):
    if type(args) is not list:
        raise ValueError("malformed arguments")
    if name == "__len__":
        return len(obj)
    if name == "__getitem__":
        return obj[args[0]]
    if name == "__setitem__":
        obj[args[0]] = args[1]
        return None
    if name == "__delitem__":
        del obj[args[0]]
        return None
    if name == "__contains__":
        return args[0] in obj
    if name == "__iter__":
        return list(obj)
    if name == "__str__":
        return str(obj)
    if name == "__repr__":
        return repr(obj)
    return bool(obj)
