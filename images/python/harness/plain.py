"""Plain data across a process boundary, and nothing else.

Function grading (docs/functions.md, in progress) runs the staff's tests and
the student's module in two processes. A call's arguments and its result
cross between them through this codec: None, bool, int, float, complex,
str, bytes, list, tuple, dict, set and frozenset, nested to a bounded depth
and size. Types are checked exactly (``type(x) is int``), so a subclass with
its own ``__eq__`` is refused, not flattened. An object the student's code
made may cross only as a handle (``Handle``), an opaque number the other
side cannot compare with plain data. Nothing is ever pickled.

The wire form is JSON, each value a tagged list:

  ["n"]                  None
  ["b", true]            bool
  ["i", "-0x1f"]         int, in hex (no digit limit applies to hex)
  ["f", "1.5"]           float, by repr ("nan", "inf", "-0.0" included)
  ["c", "1.0", "-2.0"]   complex
  ["s", "text"]          str (lone surrogates escaped by JSON)
  ["y", "base64"]        bytes
  ["l", [...]]           list        ["t", [...]]  tuple
  ["S", [...]]           set         ["F", [...]]  frozenset
  ["d", [[k, v], ...]]   dict, in insertion order
  ["h", 7]               a handle
"""

import base64
import json

MAX_DEPTH = 64
MAX_ITEMS = 1_000_000
MAX_BYTES = 16 << 20


class NotPlain(TypeError):
    """A value that cannot cross: it names the type, or the bound it broke."""


class Handle:
    """An object that stays in the process that made it, named by a number."""

    __slots__ = ("id",)

    def __init__(self, ident):
        if type(ident) is not int or ident < 0:
            raise NotPlain("a handle's id must be a non-negative int")
        self.id = ident

    def __repr__(self):
        return f"<handle {self.id}>"

    def __eq__(self, other):
        return type(other) is Handle and other.id == self.id

    def __hash__(self):
        return hash(("pyjudge-handle", self.id))


class _Budget:
    def __init__(self, max_items):
        self.left = max_items

    def take(self):
        self.left -= 1
        if self.left < 0:
            raise NotPlain("the value has too many parts to cross")


def _to_wire(value, depth, budget, make_handle):
    if depth > MAX_DEPTH:
        raise NotPlain(f"the value is nested deeper than {MAX_DEPTH} levels")
    budget.take()
    t = type(value)
    if value is None:
        return ["n"]
    if t is bool:
        return ["b", value]
    if t is int:
        return ["i", hex(value)]
    if t is float:
        return ["f", repr(value)]
    if t is complex:
        return ["c", repr(value.real), repr(value.imag)]
    if t is str:
        return ["s", value]
    if t is bytes:
        return ["y", base64.b64encode(value).decode("ascii")]
    if t is Handle:
        return ["h", value.id]
    if t in (list, tuple, set, frozenset):
        tag = {list: "l", tuple: "t", set: "S", frozenset: "F"}[t]
        return [tag, [_to_wire(v, depth + 1, budget, make_handle) for v in value]]
    if t is dict:
        return ["d", [[_to_wire(k, depth + 1, budget, make_handle),
                       _to_wire(v, depth + 1, budget, make_handle)] for k, v in value.items()]]
    if make_handle is not None:
        return ["h", make_handle(value)]
    raise NotPlain(f"a value of type {_type_name(value)} cannot cross (only plain data: None, bool, int, "
                   "float, complex, str, bytes, list, tuple, dict, set, frozenset)")


def _type_name(value):
    t = type(value)
    module = getattr(t, "__module__", "?")
    name = getattr(t, "__qualname__", "?")
    return name if module == "builtins" else f"{module}.{name}"


def encode(value, make_handle=None, max_items=MAX_ITEMS, max_bytes=MAX_BYTES):
    """The wire form of `value`, as bytes. With `make_handle`, a value that is
    not plain data crosses as the handle it returns; without it, such a value
    raises NotPlain."""
    wire = _to_wire(value, 0, _Budget(max_items), make_handle)
    data = json.dumps(wire, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")
    if len(data) > max_bytes:
        raise NotPlain(f"the value takes {len(data)} bytes, more than the {max_bytes} that may cross")
    return data


def _float(text):
    if type(text) is not str or len(text) > 64:
        raise NotPlain("a malformed float")
    try:
        return float(text)
    except ValueError as e:
        raise NotPlain("a malformed float") from e


def _items(node, n):
    if len(node) != n:
        raise NotPlain(f"a malformed '{node[0]}' node")
    return node


def _from_wire(node, depth, budget):
    if depth > MAX_DEPTH:
        raise NotPlain(f"the value is nested deeper than {MAX_DEPTH} levels")
    budget.take()
    if type(node) is not list or not node or type(node[0]) is not str:
        raise NotPlain("a malformed value")
    tag = node[0]
    if tag == "n":
        _items(node, 1)
        return None
    if tag == "b":
        _items(node, 2)
        if type(node[1]) is not bool:
            raise NotPlain("a malformed bool")
        return node[1]
    if tag == "i":
        _items(node, 2)
        if type(node[1]) is not str or len(node[1]) > (1 << 20):
            raise NotPlain("a malformed int")
        try:
            return int(node[1], 16)
        except ValueError as e:
            raise NotPlain("a malformed int") from e
    if tag == "f":
        _items(node, 2)
        return _float(node[1])
    if tag == "c":
        _items(node, 3)
        return complex(_float(node[1]), _float(node[2]))
    if tag == "s":
        _items(node, 2)
        if type(node[1]) is not str:
            raise NotPlain("a malformed str")
        return node[1]
    if tag == "y":
        _items(node, 2)
        if type(node[1]) is not str:
            raise NotPlain("a malformed bytes")
        try:
            return base64.b64decode(node[1].encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError) as e:
            raise NotPlain("a malformed bytes") from e
    if tag == "h":
        _items(node, 2)
        return Handle(node[1])
    if tag in ("l", "t", "S", "F"):
        _items(node, 2)
        if type(node[1]) is not list:
            raise NotPlain(f"a malformed '{tag}' node")
        parts = [_from_wire(v, depth + 1, budget) for v in node[1]]
        try:
            return {"l": list, "t": tuple, "S": set, "F": frozenset}[tag](parts)
        except TypeError as e:  # an unhashable member of a set
            raise NotPlain(f"a set member cannot be hashed: {e}") from e
    if tag == "d":
        _items(node, 2)
        if type(node[1]) is not list:
            raise NotPlain("a malformed dict")
        out = {}
        for pair in node[1]:
            if type(pair) is not list or len(pair) != 2:
                raise NotPlain("a malformed dict entry")
            key = _from_wire(pair[0], depth + 1, budget)
            try:
                out[key] = _from_wire(pair[1], depth + 1, budget)
            except TypeError as e:
                raise NotPlain(f"a dict key cannot be hashed: {e}") from e
        return out
    raise NotPlain(f"an unknown tag '{tag[:16]}'")


def decode(data, max_items=MAX_ITEMS, max_bytes=MAX_BYTES):
    """The value `data` (from encode) stands for; anything else raises
    NotPlain, never a value of another type."""
    if type(data) is not bytes or len(data) > max_bytes:
        raise NotPlain("the wire data is not bytes, or too large")
    try:
        wire = json.loads(data.decode("ascii"))
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise NotPlain("the wire data is not JSON") from e
    return _from_wire(wire, 0, _Budget(max_items))
