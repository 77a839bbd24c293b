"""The staff's view of the student's module (trusted side).

`sys.modules[MODULE]` is a ProxyModule: `import stats`, `stats.mean` and
`from stats import mean` work at any time, even at collection when no
student process exists. A name becomes a RemoteName, a function bound at
call time to the current test's TEST socket; a manifest `plain` value is
the value itself. Results come back as plain data or as HandleProxy objects
that forward attribute reads, calls and a few special methods to the
student's process, compare equal only to a proxy of the same handle of the
same test and go stale when their test ends.

Exceptions raised by the student's code are rebuilt as their builtin type
(ValueError, KeyError, ...) so assertRaises and pytest.raises work, or as
StudentError naming the type; either way they carry MARK, the student's
type name, message and traceback text, so the verdict can tell them from
the staff's own errors. What each call printed is written to the staff's
sys.stdout and sys.stderr (capsys, redirect_stdout) and kept per test.

Nothing from the student's process is trusted beyond bounded, decoded
plain data (wire.py, plain.py); no staff object ever crosses to it.
"""

import builtins
import copy
import sys
import types

import plain

from . import wire

MARK = "__pyjudge_student__"
MESSAGE_CAP = 4 << 10
TRACEBACK_CAP = 8 << 10
OUTPUT_KEEP = 16 << 10
ECHO_CAP = 80 << 10
# Builtin types that may not be raised on the student's word.
NOT_REBUILT = {"SystemExit", "KeyboardInterrupt", "GeneratorExit", "BaseException", "BaseExceptionGroup",
               "ExceptionGroup", "StopIteration", "StopAsyncIteration"}


class StudentError(Exception):
    """An exception the student's code raised, of a type that is not one of
    Python's builtin exceptions (its message names the type)."""

    def __init__(self, type_name, message):
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name = type_name
        self.student_message = message


class StudentProcessEnded(StudentError):
    """The student's process ended (or was ended) during a call."""

    def __init__(self, during):
        super().__init__("ProcessEnded", f"the student's process ended during {during}")
        self.during = during


class StudentProtocolError(StudentError):
    """The student's process sent a malformed message."""

    def __init__(self, during):
        super().__init__("ProtocolError", f"the module's process sent a malformed message during {during}")


class NotPlainResult(StudentError):
    """A result that is neither plain data nor an object of the student's own."""

    def __init__(self, during, reason):
        super().__init__("NotPlain", f"{during} returned a value that cannot cross: {reason}")


class ModuleNotImported(StudentError):
    """The student's module could not be imported; every call fails."""

    def __init__(self, module):
        super().__init__("ImportFailed", f"the module {module} could not be imported")


def _mark(exc, type_name, message, traceback=""):
    setattr(exc, MARK, {"type": type_name, "message": message, "traceback": traceback})
    return exc


class Output:
    """What the student's calls printed during one test, bounded."""

    def __init__(self, cap=OUTPUT_KEEP):
        self.cap, self.parts, self.size = cap, [], 0

    def add(self, text):
        if self.size < self.cap:
            self.parts.append(text[: self.cap - self.size])
        self.size += len(text)

    def text(self):
        s = "".join(self.parts)
        return s + (f"\n... {self.size - self.cap} more bytes" if self.size > self.cap else "")


class Link:
    """The current test's TEST socket and what its calls printed."""

    def __init__(self, serial, start, module):
        self.serial = serial
        self.start = start
        self.module = module
        self.stdout = Output()
        self.stderr = Output()
        self.ended = None

    def request(self, payload, during):
        if not self.start.ok:
            raise _mark(ModuleNotImported(self.module), "ImportFailed", "") from None
        if self.ended is not None:
            raise _mark(StudentProcessEnded(self.ended), "ProcessEnded", "") from None
        try:
            wire.send_frame(self.start.sock, payload)
            reply = wire.recv_frame(self.start.sock)
        except wire.Closed:
            self.close(during)
            raise _mark(StudentProcessEnded(during), "ProcessEnded", "") from None
        except wire.Malformed:
            self.close(during)
            raise _mark(StudentProtocolError(during), "ProtocolError", "") from None
        self._echo(reply)
        return reply

    def _echo(self, reply):
        for key, stream, kept in (("stdout", sys.stdout, self.stdout), ("stderr", sys.stderr, self.stderr)):
            text = wire.text(reply.get(key), ECHO_CAP)
            if text:
                kept.add(text)
                try:
                    stream.write(text)
                except Exception:  # noqa: BLE001 - a staff stream that refuses output
                    pass

    def close(self, ended=None):
        if ended is not None and self.ended is None:
            self.ended = ended
        if self.start.sock is not None:
            self.start.sock.close()


class _State:
    def __init__(self):
        self.module = None     # the module's name
        self.manifest = None   # known once the student's process has been ready
        self.link = None       # the current test's Link, or None between tests
        self.serial = 0


STATE = _State()
_CALLABLE = object()


def install(module_name):
    """Put the proxy module in sys.modules; returns it."""
    STATE.module = module_name
    mod = ProxyModule(module_name)
    sys.modules[module_name] = mod
    return mod


def learn(start):
    """Keep the manifest of a `begin` reply (control.Start)."""
    if start.ok and not start.malformed:
        STATE.manifest = start.manifest


def start_test(start):
    learn(start)
    STATE.serial += 1
    STATE.link = Link(STATE.serial, start, STATE.module)
    return STATE.link


def end_test():
    link, STATE.link = STATE.link, None
    if link is not None:
        link.close()
    return link


def _link(during):
    if STATE.link is None:
        raise RuntimeError(f"{during} was called outside a test: the student's code runs only while a test "
                           "runs (not at import or collection)")
    return STATE.link


def _encode(value, link, during):
    def make_handle(v):
        if type(v) is HandleProxy:
            if v._pj_serial != link.serial:
                raise RuntimeError(f"stale handle: an object from an earlier test passed to {during}")
            return v._pj_id
        kind = _type_name(v)
        if callable(v) or isinstance(v, types.GeneratorType):
            raise TypeError(f"a {kind} cannot be passed to {during}: callbacks into the staff's code are not "
                            "supported (pass plain data, or objects the student's code returned)")
        raise TypeError(f"a value of type {kind} cannot be passed to {during} (only plain data: None, bool, "
                        "int, float, complex, str, bytes, list, tuple, dict, set, frozenset, or objects the "
                        "student's code returned)")

    try:
        return plain.encode(value, make_handle=make_handle)
    except plain.NotPlain as e:
        raise TypeError(f"the arguments of {during} cannot cross: {e}") from None


def _type_name(value):
    t = type(value)
    module, name = getattr(t, "__module__", "?"), getattr(t, "__qualname__", "?")
    return name if module == "builtins" else f"{module}.{name}"


def _adopt(value, serial):
    t = type(value)
    if t is plain.Handle:
        return HandleProxy(serial, value.id)
    if t in (list, tuple, set, frozenset):
        return t(_adopt(v, serial) for v in value)
    if t is dict:
        return {_adopt(k, serial): _adopt(v, serial) for k, v in value.items()}
    return value


def _has_handle(value):
    t = type(value)
    if t is plain.Handle:
        return True
    if t in (list, tuple, set, frozenset):
        return any(_has_handle(v) for v in value)
    if t is dict:
        return any(_has_handle(k) or _has_handle(v) for k, v in value.items())
    return False


def rebuild_exception(info):
    """The exception a `raise` reply stands for, marked as the student's."""
    if type(info) is not dict:
        info = {}
    type_name = wire.text(info.get("type"), 200) or "Exception"
    message = wire.text(info.get("message"), MESSAGE_CAP)
    traceback = wire.text(info.get("traceback"), TRACEBACK_CAP)
    exc = None
    if info.get("builtin") is True and type_name not in NOT_REBUILT:
        cls = getattr(builtins, type_name, None)
        if isinstance(cls, type) and issubclass(cls, Exception):
            args = None
            if "args" in info:
                try:
                    args = wire.value_of(info["args"], max_items=1000, max_bytes=MESSAGE_CAP * 2)
                except plain.NotPlain:
                    args = None
            if type(args) is tuple and not _has_handle(args):
                try:
                    exc = cls(*args)
                except Exception:  # noqa: BLE001 - a constructor that wants other arguments
                    exc = None
            if exc is None:
                try:
                    exc = cls(message)
                except Exception:  # noqa: BLE001
                    exc = None
    if exc is None:
        exc = StudentError(type_name, message)
    return _mark(exc, type_name, message, traceback)


def _result(link, reply, during):
    if "raise" in reply:
        raise rebuild_exception(reply["raise"])
    if "refused" in reply:
        reason = wire.text(reply["refused"], MESSAGE_CAP)
        raise _mark(NotPlainResult(during, reason), "NotPlain", reason)
    if reply.get("callable") is True:
        return _CALLABLE
    if "value" in reply:
        try:
            return _adopt(wire.value_of(reply["value"]), link.serial)
        except plain.NotPlain:
            pass
    link.close(during)
    raise _mark(StudentProtocolError(during), "ProtocolError", "")


def _target(handle):
    return b'{"module":true}' if handle is None else b'{"handle":%d}' % handle


def _call(link, handle, attr, args, kwargs, during):
    payload = (b'{"op":"call","target":' + _target(handle) + b',"attr":' + wire.dumps(attr)
               + b',"args":' + _encode(list(args), link, during)
               + b',"kwargs":' + _encode(dict(kwargs), link, during) + b"}")
    return _result(link, link.request(payload, during), during)


def _getattr(link, handle, attr, during):
    payload = b'{"op":"getattr","target":' + _target(handle) + b',"attr":' + wire.dumps(attr) + b"}"
    return _result(link, link.request(payload, during), during)


class RemoteName:
    """A name of the student's module, looked up in the current test's
    process when used (a function, a class, or another module-level name)."""

    __slots__ = ("_pj_name",)

    def __init__(self, name):
        object.__setattr__(self, "_pj_name", name)

    def __call__(self, *args, **kwargs):
        during = f"{STATE.module}.{self._pj_name}()"
        return _call(_link(during), None, self._pj_name, args, kwargs, during)

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        during = f"{STATE.module}.{self._pj_name}"
        value = _getattr(_link(during), None, self._pj_name, during)
        if value is _CALLABLE:
            raise AttributeError(f"{during}.{attr}: the attributes of the student's functions and classes "
                                 "cannot be read (only those of objects the student's code returned)")
        return getattr(value, attr)

    def __setattr__(self, attr, value):
        raise TypeError(f"{STATE.module}.{self._pj_name} cannot be changed from the staff's side")

    def __repr__(self):
        return f"<student's {STATE.module}.{self._pj_name}>"


class BoundRemote:
    """A method of an object in the student's process (handle, name)."""

    __slots__ = ("_pj_proxy", "_pj_name")

    def __init__(self, proxy, name):
        object.__setattr__(self, "_pj_proxy", proxy)
        object.__setattr__(self, "_pj_name", name)

    def __call__(self, *args, **kwargs):
        during = f"{self._pj_name}()"
        proxy = self._pj_proxy
        return _call(proxy._pj_link(during), proxy._pj_id, self._pj_name, args, kwargs, during)

    def __repr__(self):
        return f"<student's method {self._pj_name} of handle {self._pj_proxy._pj_id}>"


class HandleProxy:
    """An object in the current test's student process, by its handle."""

    __slots__ = ("_pj_serial", "_pj_id")

    def __init__(self, serial, ident):
        object.__setattr__(self, "_pj_serial", serial)
        object.__setattr__(self, "_pj_id", ident)

    def _pj_link(self, during):
        link = STATE.link
        if link is None or link.serial != self._pj_serial:
            raise RuntimeError(f"stale handle: {during} uses an object from an earlier test (each test has "
                               "its own student process)")
        return link

    def _pj_special(self, name, *args):
        during = f"{name} of a student's object"
        link = self._pj_link(during)
        payload = (b'{"op":"special","target":' + _target(self._pj_id) + b',"name":' + wire.dumps(name)
                   + b',"args":' + _encode(list(args), link, during) + b"}")
        value = _result(link, link.request(payload, during), during)
        if value is _CALLABLE:
            raise _mark(StudentProtocolError(during), "ProtocolError", "")
        return value

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        during = f".{attr}"
        value = _getattr(self._pj_link(during), self._pj_id, attr, during)
        return BoundRemote(self, attr) if value is _CALLABLE else value

    def __setattr__(self, attr, value):
        if attr.startswith("__"):
            raise AttributeError(f"{attr} cannot be set on a student's object")
        during = f"setting .{attr}"
        link = self._pj_link(during)
        payload = (b'{"op":"setattr","target":' + _target(self._pj_id) + b',"attr":' + wire.dumps(attr)
                   + b',"value":' + _encode(value, link, during) + b"}")
        _result(link, link.request(payload, during), during)

    def __delattr__(self, attr):
        raise TypeError("attributes of a student's object cannot be deleted from the staff's side")

    def __call__(self, *args, **kwargs):
        during = "a call of a student's object"
        return _call(self._pj_link(during), self._pj_id, None, args, kwargs, during)

    def __eq__(self, other):
        return type(other) is HandleProxy and other._pj_serial == self._pj_serial and other._pj_id == self._pj_id

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(("pyjudge-handle", self._pj_serial, self._pj_id))

    def __len__(self):
        return self._pj_special("__len__")

    def __getitem__(self, key):
        return self._pj_special("__getitem__", key)

    def __setitem__(self, key, value):
        self._pj_special("__setitem__", key, value)

    def __delitem__(self, key):
        self._pj_special("__delitem__", key)

    def __contains__(self, item):
        return bool(self._pj_special("__contains__", item))

    def __iter__(self):
        items = self._pj_special("__iter__")
        if type(items) is not list:
            raise _mark(StudentProtocolError("iteration"), "ProtocolError", "")
        return iter(items)

    def __str__(self):
        return self._pj_special("__str__")

    def __repr__(self):
        return self._pj_special("__repr__")

    def __bool__(self):
        return self._pj_special("__bool__")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce_ex__(self, protocol):
        raise TypeError("a student's object cannot be pickled or copied")


class ProxyModule(types.ModuleType):
    """sys.modules[MODULE]: the student's module as the staff's tests see it."""

    def __getattr__(self, attr):
        if attr.startswith("__"):
            if attr == "__all__" and STATE.manifest is not None:
                return sorted(n for n in STATE.manifest if not n.startswith("_"))
            raise AttributeError(attr)
        kind = STATE.manifest.get(attr) if STATE.manifest is not None else None
        if kind is not None and kind[0] == "plain":
            return copy.deepcopy(kind[1])
        if kind is not None and kind[0] == "object" and STATE.link is not None:
            during = f"{STATE.module}.{attr}"
            value = _getattr(STATE.link, None, attr, during)
            if value is not _CALLABLE:
                return value
        names = self.__dict__.setdefault("_pj_names", {})
        if attr not in names:
            names[attr] = RemoteName(attr)
        return names[attr]
