"""Structured files into a :class:`~citygraph.loaders.dataset.model.Dataset`: YAML, JSON, CSV.

YAML and JSON hold the canonical sections (``places``, ``organisations``,
``cooperations``, …); a canonical CSV holds one section, named by the file
(``places.csv``) with ``;`` between list items. A CSV of pairs from
elsewhere is mapped with :func:`citygraph.loaders.formats.pairs.read_pairs_csv`.
"""

from __future__ import annotations

import json
import logging
import reprlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import batched
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from citygraph.core.errors import InputError
from citygraph.loaders.dataset.compact import CHUNK, Items
from citygraph.loaders.dataset.model import SECTIONS, Dataset, Rejected
from citygraph.loaders.formats.tabular import Table, TableRow, read_table, read_text
from citygraph.loaders.runtime.workers import default_workers, in_workers

log = logging.getLogger(__name__)


class TextLoader(yaml.SafeLoader):
    """YAML as the user wrote it: scalars stay text (``0777``, ``12:30``, ``1.10``, ``NO`` are not rewritten by
    YAML 1.1's typing; the models convert what must be numbers), only ``null``/``~``/empty mean nothing, and a key
    given twice in one mapping is an error at its line instead of silently keeping the last value."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, f"a key must be a name, not a {type(key).__name__}", key_node.start_mark) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice in one mapping (first at line "
                                f"{seen[key].start_mark.line + 1}); keep one", key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


#: YAML aliases (``*name``) may repeat at most this many nodes beyond those the file writes out: a few shared
#: lists are fine; nested aliases that expand a 1 KB file into gigabytes ("billion laughs") are refused.
MAX_ALIASED_NODES = 10_000


def check_aliases(root: yaml.Node, path: Path) -> None:
    """Refuse a document whose aliases expand it by more than :data:`MAX_ALIASED_NODES` nodes, naming the line."""
    sizes: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # sizes bottom-up, each node once however often it is aliased
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not done:
            stack.append((node, True))
            stack += [(c, False) for c in children if id(c) not in sizes]
            continue
        distinct += 1
        sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
        if sizes[id(node)] > distinct + MAX_ALIASED_NODES:
            raise InputError(f"YAML aliases here expand to over {MAX_ALIASED_NODES:,} repeated values; write the "
                             "values out (a citygraph file needs no aliases)", f"{path}:{node.start_mark.line + 1}")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _excerpt(value: Any, limit: int = 200) -> str:
    """A rejected cell as text, bounded: a nested value is shown in part, never expanded whole."""
    text = value if isinstance(value, str) else _SHORT.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SHORT = reprlib.Repr(maxlevel=2, maxlist=6, maxdict=6, maxstring=80, maxother=80)


LIST_FIELDS = {"aliases", "sectors", "involves", "sources", "europe", "partner", "signed_by", "about"}


def _item_error(section: str, fields: Any, e: ValidationError) -> str:
    first = e.errors()[0]
    field_name = ".".join(str(p) for p in first["loc"]) or section
    more = f" (and {e.error_count() - 1} more problems)" if e.error_count() > 1 else ""
    ident = fields.get("id")
    what = f"{section[:-1]} {ident!r}" if ident else f"{section[:-1]} entry"
    return f"{what}: {field_name}: {first['msg'].removeprefix('Value error, ')}{more}"


#: Field names of earlier versions still read, per section (old -> current), each with a note once per file.
RENAMED = {"pilots": {"asia": "partner"}}


def _current(section: str, fields: dict[str, Any], where: str, noted: set[tuple[str, str]]) -> dict[str, Any]:
    """``fields`` with the old names of ``section`` read as the current ones (a note per file says so)."""
    old = [name for name in RENAMED.get(section, {}) if name in fields]
    if not old:
        return fields
    fields = dict(fields)
    for name in old:
        new = RENAMED[section][name]
        if new not in fields:
            fields[new] = fields.pop(name)
        file = where.rsplit(":", 1)[0]
        if (file, name) not in noted:
            noted.add((file, name))
            log.warning("%s: `%s` is the old name of the %s field `%s`: read as `%s` (rename it)",
                        where, name, section[:-1], new, new)
    return fields


def validate(raw: Mapping[str, Iterable[tuple[str, Any]]], rejected: list[Rejected] | None = None) -> Dataset:
    """Section name -> [(where, fields)] into a validated Dataset, item by item (``raw`` may be read lazily:
    each item is held compact once valid).

    An item that fails is added to ``rejected`` when a list is given (so that
    one run reports them all); without one, the first raises an InputError.
    """
    dataset = Dataset()
    noted: set[tuple[str, str]] = set()
    for section, items in raw.items():
        model = SECTIONS[section]
        target = getattr(dataset, section)
        for where, fields in items:
            if not isinstance(fields, dict):
                problem = f"a {section} entry must be a mapping of fields, not {type(fields).__name__}"
            else:
                try:
                    fields = _current(section, fields, where, noted)
                    target.append(model.model_validate({**fields, "where": where}))
                    continue
                except ValidationError as e:
                    problem = _item_error(section, fields, e)
            if rejected is None:
                raise InputError(problem, where)
            values = {str(k): _excerpt(v) for k, v in fields.items()} if isinstance(fields, dict) else {}
            rejected.append(Rejected(where, problem, values))
    return dataset


def _check_sections(data: Any, path: Path) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError("expected a mapping of sections (places, organisations, cooperations, …) at the top",
                         f"{path}:1")
    unknown = [k for k in data if k not in SECTIONS and k != "not_entities"]
    if unknown:
        raise InputError(f"unknown section {unknown[0]!r}; sections are {', '.join(SECTIONS)}", str(path))
    return data


def read_mapping_file(path: Path, rejected: list[Rejected] | None = None) -> Dataset:
    """A YAML or JSON file of canonical sections; items that fail go to ``rejected`` (see :func:`validate`)."""
    text = read_text(path)
    try:
        return _read_mapping(path, text, rejected)
    except RecursionError:
        raise InputError("is nested too deeply to be a citygraph file (sections hold lists of flat items)",
                         str(path)) from None


def _read_mapping(path: Path, text: str, rejected: list[Rejected] | None) -> Dataset:
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"invalid JSON: {e.msg} (column {e.colno})", f"{path}:{e.lineno}") from None
    try:
        loader = TextLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                check_aliases(node, path)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(f"invalid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {problem}", line) from None
    if node is None:
        raise InputError("the file holds no data", str(path))
    data = _check_sections(data, path)
    lines: dict[str, list[str]] = {}
    for key_node, value_node in node.value:
        if isinstance(value_node, yaml.SequenceNode):
            lines[key_node.value] = [f"{path}:{item.start_mark.line + 1}" for item in value_node.value]
    raw: dict[str, list[tuple[str, Any]]] = {}
    for section, items in data.items():
        if section == "not_entities":
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            raise InputError(f"section {section!r} must be a list", f"{path}:{lines.get(section, ['1'])[0]}")
        raw[section] = list(zip(lines.get(section, [str(path)] * len(items)), items))
    dataset = validate(raw, rejected)
    names = data.get("not_entities") or []
    if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
        raise InputError(
            "section 'not_entities' must be a list of names", f"{path}:{lines.get('not_entities', ['1'])[0]}"
        )
    dataset.not_entities.extend(names)
    return dataset


def section_of(path: Path) -> str | None:
    stem = path.stem.lower()
    for section in SECTIONS:
        if stem in (section, section[:-1]) or stem.endswith(("-" + section, "_" + section)):
            return section
    if stem in ("person",):
        return "people"
    return None


def read_canonical_csv(path: Path, *, encoding: str | None = None, sheet: str | None = None,
                       rejected: list[Rejected] | None = None) -> Dataset:
    """A table of one section (``places.csv``, ``cooperations.xlsx``), ``;`` between list items."""
    section = section_of(path)
    if section is None:
        raise InputError(
            f"a canonical table is named after its section ({', '.join(s + '.csv' for s in SECTIONS)}); "
            "for a list of pairs, map its columns with `columns`",
            str(path),
        )
    table = read_table(path, encoding=encoding, sheet=sheet)
    model = SECTIONS[section]
    required = [name for name, f in model.model_fields.items() if f.is_required() and name != "where"]
    table.require(required, f"a {section} table needs {', '.join(required)}")
    workers = default_workers()
    if workers and path.stat().st_size >= PARALLEL_BYTES:
        return _checked_in_workers(section, table, rejected, workers)
    return validate({section: _fields(table.rows, rejected)}, rejected)


def _fields(rows: Iterable[TableRow], rejected: list[Rejected] | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, fields) of each row of a canonical table, read as validation asks: ``;`` splits list fields."""
    for row in rows:
        if row.problem:
            if rejected is None:
                raise InputError(row.problem, row.where)
            rejected.append(Rejected(row.where, row.problem, row.values))
            continue
        fields: dict[str, Any] = {}
        for key, value in row.values.items():
            if value == "":
                continue
            fields[key] = [v.strip() for v in value.split(";") if v.strip()] if key in LIST_FIELDS else value
        yield row.where, fields


# -- large tables, checked in worker processes ------------------------------------------

#: Canonical tables of at least this many bytes are checked in worker processes (one per core), in batches of
#: :data:`TABLE_BATCH` rows, while this process reads the file.
PARALLEL_BYTES = 8 * 1024 * 1024
TABLE_BATCH = 2 * CHUNK


@dataclass
class RowChecker:
    """Checks a batch of a canonical table's rows in a worker (see :mod:`citygraph.loaders.runtime.workers`): the
    valid items, held compact, and the rows that failed, each in the table's order."""

    section: str

    def __call__(self, rows: Sequence[TableRow]) -> tuple[Items[Any], list[Rejected]]:
        failed: list[Rejected] = []
        items: Items[Any] = getattr(validate({self.section: _fields(rows, failed)}, failed), self.section)
        items.pack()  # what crosses to the loading process is packed chunks
        return items, failed


def _checked_in_workers(section: str, table: Table, rejected: list[Rejected] | None, workers: int) -> Dataset:
    """A table's rows checked as :func:`validate` checks them, batch by batch in ``workers`` processes; the
    items and rejected rows in the table's order (without ``rejected``, the first failed row raises)."""
    dataset = Dataset()
    target: Items[Any] = getattr(dataset, section)
    try:
        with closing(in_workers(RowChecker(section), batched(table.rows, TABLE_BATCH), workers)) as checked:
            for items, failed in checked:
                if failed and rejected is None:
                    raise InputError(failed[0].reason, failed[0].where)
                target.extend(items)
                if rejected is not None:
                    rejected.extend(failed)
    finally:
        table.close()
    return dataset
