"""FalkorDB's bulk-insert wire format (``GRAPH.BULK``), made from Python values.

``falkordb-bulk-loader`` makes the same bytes from CSV files, guessing each
cell's type from its text; citygraph's rows are typed already, so they are
packed directly (the tool's own parsing is what bounds it: see
docs/benchmarks.md). The format, as the engine reads it:

- a token (one argument of ``GRAPH.BULK``) is a header, then records;
- header: the label(s) or relationship type, ``:``-joined, NUL-terminated; a
  4-byte property count; the property names, each NUL-terminated;
- node record: one value per property; relationship record: the start and end
  nodes' internal ids (8 bytes each, in the order the nodes were created),
  then one value per property;
- value: a type byte, then its payload: null (none, the property is not set),
  bool (1 byte), double (8), string (NUL-terminated UTF-8), long (8), array
  (an 8-byte length, then that many values).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from typing import Any

NULL, BOOL, DOUBLE, STRING, LONG, ARRAY = range(6)
_LONG = struct.Struct("=Bq")
_DOUBLE = struct.Struct("=Bd")
_ENDS = struct.Struct("=QQ")
#: Bytes of a relationship's two end numbers (:func:`ends`).
ENDS_BYTES = _ENDS.size
_COUNT = struct.Struct("=I")
_NULL = bytes([NULL])
_TRUE, _FALSE = bytes([BOOL, 1]), bytes([BOOL, 0])


def _cstring(text: str) -> bytes:
    if "\0" in text:
        raise ValueError(f"a value holds a NUL character, which the bulk format cannot carry: {text[:40]!r}")
    return text.encode("utf-8") + b"\0"


def _string(v: str) -> bytes:
    return _STRING + _cstring(v)


def _array(v: list | tuple) -> bytes:
    return _LONG.pack(ARRAY, len(v)) + b"".join([value(x) for x in v])


_STRING = bytes([STRING])
#: Encoders by exact type (a bool is not packed as an int; dispatch on the type is the packer's hot path).
_ENCODERS: dict[type, Any] = {
    type(None): lambda v: _NULL, bool: lambda v: _TRUE if v else _FALSE, int: lambda v: _LONG.pack(LONG, v),
    float: lambda v: _DOUBLE.pack(DOUBLE, v), str: _string, list: _array, tuple: _array,
}


def value(v: Any) -> bytes:
    """One property value (``None``: the property is not set)."""
    encode = _ENCODERS.get(type(v))
    if encode is None:
        raise TypeError(f"the bulk format has no type for {type(v).__name__} values ({v!r:.40})")
    return encode(v)


class Packer:
    """Packs records, keeping each short string's bytes until :meth:`forget`: ids, roles, dates and source
    ids recur across a command's records (a cooperation's source is on four of its relationships)."""

    SHORT = 64  # characters: longer strings (titles, summaries) rarely recur

    def __init__(self) -> None:
        self.strings: dict[str, bytes] = {}

    def record(self, values: Iterable[Any]) -> bytes:
        """Values in the order of the token's property names (``None``: not set). Strings, most of the
        values, are looked up here rather than through :meth:`value` (the packer's hot path)."""
        strings, value = self.strings, self.value
        return b"".join([strings.get(v) or value(v) if type(v) is str else value(v) for v in values])

    def value(self, v: Any) -> bytes:
        kind = type(v)
        if kind is str:
            packed = self.strings.get(v)
            if packed is None:
                packed = _string(v)
                if len(v) <= self.SHORT:
                    self.strings[v] = packed
            return packed
        if kind is list or kind is tuple:
            return _LONG.pack(ARRAY, len(v)) + b"".join([self.value(x) for x in v])
        return value(v)

    def forget(self) -> None:
        self.strings.clear()


def header(name: str, keys: Sequence[str]) -> bytes:
    """A token's header: label(s) (``A:B``) or relationship type, then its property names."""
    return _cstring(name) + _COUNT.pack(len(keys)) + b"".join(_cstring(k) for k in keys)


def node(props: dict[str, Any], keys: Sequence[str]) -> bytes:
    return b"".join([value(props.get(k)) for k in keys])


def ends(start: int, end: int) -> bytes:
    """The start of a relationship record: its ends' internal ids (its properties follow, as a node's)."""
    return _ENDS.pack(start, end)
