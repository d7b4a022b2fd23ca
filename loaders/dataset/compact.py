"""Validated items kept compact: a section of a dataset as plain tuples, many to a marshalled chunk.

A pydantic model of a cooperation, with its involvements and sources, takes
about 4 KB of memory; the same values as a tuple of strings and numbers,
marshalled with thousands of others, take about 200 bytes. An :class:`Items`
holds a section that way: the newest items stay models (so a small dataset,
a report's, is never packed), and every :data:`CHUNK` of them is packed into
one ``bytes``. Reading gives models again, rebuilt without validating twice
(they were valid when added).

An item read from an :class:`Items` is a copy: changing it changes nothing
stored. Code that changes items says so with :meth:`Items.rewrite`.
"""

from __future__ import annotations

import marshal
import types
import typing
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from enum import Enum
from itertools import batched
from operator import itemgetter
from typing import Any, overload

from pydantic import BaseModel

#: Items per packed chunk; the newest (fewer than this) stay models.
CHUNK = 4096

_new = object.__new__
_set = object.__setattr__


def _inner(annotation: Any) -> tuple[bool, type | None]:
    """(is a list, the Enum or model class inside) for a field's annotation."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin is list:
        return True, _inner(typing.get_args(annotation)[0])[1]
    if origin in (typing.Union, types.UnionType):
        found = [_inner(a) for a in typing.get_args(annotation) if a is not type(None)]
        return found[0] if len(found) == 1 else (False, None)
    if isinstance(annotation, type) and issubclass(annotation, (Enum, BaseModel)):
        return False, annotation
    return False, None


class Codec:
    """Packs a model into a tuple of plain values (enums as their values, nested models as tuples) and
    rebuilds it, as ``model_construct`` would, without validating."""

    def __init__(self, cls: type[BaseModel]) -> None:
        if cls.__private_attributes__:
            raise TypeError(f"{cls.__name__} has private attributes, which a Codec does not keep")
        self.cls = cls
        self.names = tuple(cls.model_fields)
        self.index = {name: i for i, name in enumerate(self.names)}
        # Every field counts as set; one set serves all (setting a field adds a name already in it).
        self.fields_set = set(self.names)
        self.extra: dict[str, Any] | None = {} if cls.model_config.get("extra") == "allow" else None
        self.special: list[tuple[int, str, Callable[[Any], Any], Callable[[Any], Any]]] = []
        self.nested: dict[str, Codec] = {}
        for i, name in enumerate(self.names):
            many, inner = _inner(cls.model_fields[name].annotation)
            if inner is None:
                continue
            pack, unpack = _value_codec(inner)
            if many:
                pack, unpack = _each(pack, list), _each(unpack, list)
            if issubclass(inner, BaseModel):
                self.nested[name] = codec_for(inner)
            self.special.append((i, name, pack, unpack))

    def pack(self, item: BaseModel) -> tuple:
        values = item.__dict__
        record = [values[name] for name in self.names]
        for i, _, pack, _ in self.special:
            if record[i] is not None:
                record[i] = pack(record[i])
        return tuple(record)

    def unpack(self, record: tuple) -> Any:
        values = dict(zip(self.names, record))
        for i, name, _, unpack in self.special:
            if record[i] is not None:
                values[name] = unpack(record[i])
        item = _new(self.cls)
        _set(item, "__dict__", values)
        _set(item, "__pydantic_fields_set__", self.fields_set)
        _set(item, "__pydantic_extra__", self.extra)
        _set(item, "__pydantic_private__", None)
        return item

    def getter(self, name: str) -> Callable[[tuple], Any]:
        """record -> the value of field ``name`` as a model has it; ``"involves.id"``: the ``id`` of each of
        a list of nested models (a list), read without rebuilding them."""
        field, _, sub = name.partition(".")
        i = self.index[field]
        if sub:
            j = self.nested[field].index[sub]
            return lambda record: [x[j] for x in record[i]]
        unpack = next((u for k, _, _, u in self.special if k == i), None)
        if unpack is None:
            return itemgetter(i)  # in C: whole-section passes call it for every item
        return lambda record: None if record[i] is None else unpack(record[i])


def _value_codec(cls: type) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    if issubclass(cls, Enum):
        members = {m.value: m for m in cls}
        return (lambda v: v.value), members.__getitem__
    if not issubclass(cls, BaseModel):
        raise TypeError(f"{cls.__name__}: a Codec packs enums and models")
    codec = codec_for(cls)
    return codec.pack, codec.unpack


def _each(f: Callable[[Any], Any], kind: type) -> Callable[[Any], Any]:
    return lambda values: kind(map(f, values))


def _attr(item: BaseModel, name: str) -> Any:
    field, _, sub = name.partition(".")
    value = getattr(item, field)
    return [getattr(x, sub) for x in value] if sub else value


_CODECS: dict[type, Codec] = {}


def codec_for(cls: type[BaseModel]) -> Codec:
    if cls not in _CODECS:
        _CODECS[cls] = Codec(cls)
    return _CODECS[cls]


class Items[M: BaseModel](Sequence[M]):
    """A list of validated models held compact (see the module's text): append, extend, iterate, index, len.

    Items read are copies; :meth:`rewrite` stores changed ones.
    """

    def __init__(self, cls: type[M], items: Iterable[M] = ()) -> None:
        self.cls = cls
        self._codec = codec_for(cls)
        self._chunks: list[bytes] = []
        self._counts: list[int] = []  # items in each chunk
        self._tail: list[M] = []
        self._size = CHUNK  # the tail is packed when it holds this many
        self.extend(items)

    def append(self, item: M) -> None:
        self._tail.append(item)
        if len(self._tail) >= self._size:
            self._pack()

    def extend(self, items: Iterable[M]) -> None:
        """Add ``items``; another Items' packed chunks are taken as they are, not unpacked and packed again."""
        if isinstance(items, Items) and items._chunks:
            if self._tail:
                self._pack()
            self._chunks += items._chunks
            self._counts += items._counts
            items = list(items._tail)
        for item in items:
            self.append(item)

    def pack(self) -> None:
        """Pack the newest items too (before the section crosses to another process)."""
        if self._tail:
            self._pack()

    def _pack(self) -> None:
        self._chunks.append(marshal.dumps([self._codec.pack(item) for item in self._tail]))
        self._counts.append(len(self._tail))
        self._tail = []

    def __len__(self) -> int:
        return sum(self._counts) + len(self._tail)

    def batches(self) -> Iterator[list[M]]:
        """The items, a chunk's worth at a time."""
        unpack = self._codec.unpack
        for chunk in self._chunks:
            yield [unpack(record) for record in marshal.loads(chunk)]
        if self._tail:
            yield list(self._tail)

    def pieces(self, size: int) -> Iterator[Items[M]]:
        """The items in consecutive Items of about ``size`` (whole chunks, shared not copied; at least one chunk
        each), then the unpacked tail in Items of ``size``."""
        taken = 0
        while taken < len(self._chunks):
            piece: Items[M] = Items(self.cls)
            while taken < len(self._chunks) and (not piece._counts or sum(piece._counts) + self._counts[taken]
                                                  <= size):
                piece._chunks.append(self._chunks[taken])
                piece._counts.append(self._counts[taken])
                taken += 1
            yield piece
        for batch in batched(self._tail, size):
            yield Items(self.cls, batch)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its chunks (and tail), for another process."""
        return _restore, (self.cls, self._chunks, self._counts, self._tail)

    def select(self, *names: str) -> Iterator[tuple[Any, ...]]:
        """The values of fields ``names`` of every item, in order, without rebuilding the items (a name may
        reach into a list of nested models: ``"involves.id"``, see :meth:`Codec.getter`)."""
        getters = [self._codec.getter(name) for name in names]
        for chunk in self._chunks:
            records = marshal.loads(chunk)
            yield from zip(*[map(get, records) for get in getters])
        for item in list(self._tail):
            yield tuple([_attr(item, name) for name in names])

    def column(self, name: str) -> Iterator[Any]:
        """The values of field ``name`` of every item, in order (see :meth:`select`)."""
        get = self._codec.getter(name)
        for chunk in self._chunks:
            yield from map(get, marshal.loads(chunk))
        for item in list(self._tail):
            yield _attr(item, name)

    def __iter__(self) -> Iterator[M]:
        for batch in self.batches():
            yield from batch

    def __bool__(self) -> bool:
        return bool(self._chunks or self._tail)

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("Items index out of range")
        for chunk, count in zip(self._chunks, self._counts, strict=True):
            if index < count:
                return self._codec.unpack(marshal.loads(chunk)[index])
            index -= count
        return self._tail[index]

    def rewrite(self, items: Iterable[M]) -> None:
        """Hold ``items`` instead (made, as a rule, from this one's items: a generator is read to its end
        before what it reads from is replaced)."""
        fresh = Items(self.cls, items)
        self._chunks, self._counts, self._tail = fresh._chunks, fresh._counts, fresh._tail

    def rewrite_where(self, name: str, values: Container[Any], change: Callable[[M], M]) -> None:
        """Store ``change(item)`` instead of each item whose field ``name`` is in ``values``; only those are
        rebuilt and packed again (a few restated pairs among thousands), the others are kept as they are."""
        get, codec = self._codec.getter(name), self._codec
        for n, chunk in enumerate(self._chunks):
            records = marshal.loads(chunk)
            hits = [i for i, value in enumerate(map(get, records)) if value in values]
            for i in hits:
                records[i] = codec.pack(change(codec.unpack(records[i])))
            if hits:
                self._chunks[n] = marshal.dumps(records)
        self._tail = [change(item) if _attr(item, name) in values else item for item in self._tail]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Items | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Items({self.cls.__name__}, {len(self)} items)"


def _restore[M: BaseModel](cls: type[M], chunks: list[bytes], counts: list[int], tail: list[M]) -> Items[M]:
    items = Items(cls)
    items._chunks, items._counts, items._tail = chunks, counts, list(tail)
    return items
