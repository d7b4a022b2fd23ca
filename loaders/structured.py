"""Structured files into a :class:`~citygraph.loaders.model.Dataset`: YAML, JSON, CSV.

YAML and JSON hold the canonical sections (``places``, ``organisations``,
``cooperations``, …); a canonical CSV holds one section, named by the file
(``places.csv``) with ``;`` between list items. A CSV of pairs from
elsewhere is mapped with :func:`read_pairs_csv`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from citygraph.countries import country_code
from citygraph.errors import ConfigError, InputError
from citygraph.loaders.model import SECTIONS, Dataset, Document
from citygraph.vocabulary import Channel, bloc_of_country, slugify

#: Largest structured file read whole into memory.
MAX_BYTES = 256 * 1024 * 1024
LIST_FIELDS = {"aliases", "sectors", "involves", "sources", "europe", "asia", "signed_by", "about"}


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """A file's text as UTF-8, or an InputError naming the file and line."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", str(path)) from None
    if size > max_bytes:
        raise InputError(f"is {size / 2**20:.0f} MiB; the limit for one file is {max_bytes / 2**20:.0f} MiB "
                         "(split it into several files)", str(path))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise InputError(f"is not UTF-8 (byte 0x{data[e.start]:02x} at byte {e.start}); save it as UTF-8",
                         f"{path}:{line}") from None
    if not text.strip():
        raise InputError("the file is empty", str(path))
    return text


def validate(raw: Mapping[str, list[tuple[str, dict[str, Any]]]], path: Path) -> Dataset:
    """Section name -> [(where, fields)] into a validated Dataset; the first error names its line."""
    dataset = Dataset()
    for section, items in raw.items():
        model = SECTIONS[section]
        target = getattr(dataset, section)
        for where, fields in items:
            if not isinstance(fields, dict):
                raise InputError(f"a {section} entry must be a mapping of fields, not {type(fields).__name__}", where)
            try:
                target.append(model.model_validate({**fields, "where": where}))
            except ValidationError as e:
                first = e.errors()[0]
                field = ".".join(str(p) for p in first["loc"]) or section
                more = f" (and {e.error_count() - 1} more problems)" if e.error_count() > 1 else ""
                ident = fields.get("id")
                what = f"{section[:-1]} {ident!r}" if ident else f"{section[:-1]} entry"
                raise InputError(f"{what}: {field}: {first['msg']}{more}", where) from None
    return dataset


def _check_sections(data: Any, path: Path) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError("expected a mapping of sections (places, organisations, cooperations, …) at the top",
                         f"{path}:1")
    unknown = [k for k in data if k not in SECTIONS and k != "not_entities"]
    if unknown:
        raise InputError(f"unknown section {unknown[0]!r}; sections are {', '.join(SECTIONS)}", str(path))
    return data


def read_mapping_file(path: Path) -> Dataset:
    """A YAML or JSON file of canonical sections."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"invalid JSON: {e.msg} (column {e.colno})", f"{path}:{e.lineno}") from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
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
    dataset = validate(raw, path)
    names = data.get("not_entities") or []
    if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
        raise InputError(
            "section 'not_entities' must be a list of names", f"{path}:{lines.get('not_entities', ['1'])[0]}"
        )
    dataset.not_entities.extend(names)
    return dataset


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not any(f and f.strip() for f in reader.fieldnames):
        raise InputError("the CSV has no header row", f"{path}:1")
    try:
        for row in reader:
            if None in row:
                raise InputError(
                    f"row has {len(reader.fieldnames) + len(row[None])} fields, the header has "
                    f"{len(reader.fieldnames)}",
                    f"{path}:{reader.line_num}",
                )
            yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}
    except csv.Error as e:
        raise InputError(f"malformed CSV: {e}", f"{path}:{reader.line_num}") from None


def section_of(path: Path) -> str | None:
    stem = path.stem.lower()
    for section in SECTIONS:
        if stem in (section, section[:-1]) or stem.endswith(("-" + section, "_" + section)):
            return section
    if stem in ("person",):
        return "people"
    return None


def read_canonical_csv(path: Path) -> Dataset:
    section = section_of(path)
    if section is None:
        raise InputError(
            f"a canonical CSV is named after its section ({', '.join(s + '.csv' for s in SECTIONS)}); "
            "for a CSV of pairs, map its columns with --columns",
            str(path),
        )
    text = read_text(path)
    model = SECTIONS[section]
    required = [name for name, f in model.model_fields.items() if f.is_required() and name != "where"]
    rows = list(_csv_rows(path, text))
    header = set(rows[0][1]) if rows else set(next(csv.reader(io.StringIO(text))))
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(a {section} CSV needs {', '.join(required)})",
            f"{path}:1",
        )
    items = []
    for line, row in rows:
        fields: dict[str, Any] = {}
        for key, value in row.items():
            if value == "":
                continue
            fields[key] = [v.strip() for v in value.split(";") if v.strip()] if key in LIST_FIELDS else value
        items.append((f"{path}:{line}", fields))
    return validate({section: items}, path)


PAIR_KEYS = ("a", "b", "a_country", "b_country", "date", "title", "sector")


def parse_columns(spec: str) -> dict[str, str]:
    """``a=city1,a_country=country1,…`` -> {"a": "city1", …}."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        key, sep, column = part.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or not key or not column:
            raise ConfigError(f"--columns: {part!r} is not key=column")
        if key not in PAIR_KEYS:
            raise ConfigError(f"--columns: unknown key {key!r}; keys are {', '.join(PAIR_KEYS)}")
        mapping[key] = column
    for key in ("a", "b", "a_country", "b_country"):
        if key not in mapping:
            raise ConfigError(f"--columns needs {key}=<column> (a, a_country, b, b_country are required)")
    return mapping


def _pair_end(row: dict[str, str], columns: dict[str, str], side: str, source: str, where: str,
              places: dict[str, tuple[str, dict[str, Any]]], resolve_place: Any) -> str:
    """The id of one end of a pair; a place the resolver does not know is added to ``places``."""
    name, written = row[columns[side]], row[columns[f"{side}_country"]]
    if not name:
        raise InputError(f"column {columns[side]!r} is empty", where)
    country = country_code(written)
    if country is None:
        raise InputError(f"country {written!r} in column {columns[side + '_country']!r} is neither a country name "
                         "nor an ISO code (France, FR, FRA, 'Scotland, United Kingdom', …)", where)
    pid = resolve_place(name, country) if resolve_place else None
    if pid is None:
        pid = f"{slugify(name)}-{country.lower()}"
        places.setdefault(pid, (where, {"id": pid, "name": name, "kind": "City", "country": country,
                                        "bloc": bloc_of_country(country), "sources": [source]}))
    return str(pid)


def _pair_fields(row: dict[str, str], columns: dict[str, str], channel: str, ends: list[str],
                 source: str) -> dict[str, Any]:
    """The cooperation a row of pairs states."""
    fields: dict[str, Any] = {
        "id": f"{channel}-{'-'.join(sorted(ends))}",
        "title": row.get(columns.get("title", ""), "") or f"{row[columns['a']]} – {row[columns['b']]} {channel}",
        "channel": channel, "involves": ends, "sources": [source]}
    if "date" in columns and row.get(columns["date"]):
        fields["date"] = row[columns["date"]]
    if "sector" in columns and row.get(columns["sector"]):
        fields["sectors"] = [s.strip() for s in row[columns["sector"]].split(";") if s.strip()]
    return fields


def read_pairs_csv(path: Path, columns: dict[str, str], channel: str, resolve_place=None) -> Dataset:
    """A CSV of place pairs (twin towns, partnerships) as cooperations of ``channel``.

    ``resolve_place(name, country)`` returns the id of a known place or None;
    unknown places are created as cities with the bloc of their country.
    """
    try:
        channel_value = Channel(channel)
    except ValueError:
        raise ConfigError(
            f"--channel {channel!r} is not a channel; one of {', '.join(c.value for c in Channel)}"
        ) from None
    text = read_text(path)
    rows = list(_csv_rows(path, text))
    header = set(rows[0][1]) if rows else set(next(csv.reader(io.StringIO(text))))
    missing = [c for c in columns.values() if c not in header]
    if missing:
        raise InputError(
            f"column {missing[0]!r} (named in --columns) is not in the header: {', '.join(sorted(header))}", f"{path}:1"
        )
    document = slugify(path.stem) or "pairs"
    places: dict[str, tuple[str, dict[str, Any]]] = {}
    coops: list[tuple[str, dict[str, Any]]] = []
    for line, row in rows:
        where = f"{path}:{line}"
        ends = [_pair_end(row, columns, side, f"{document}:{line}", where, places, resolve_place) for side in "ab"]
        if ends[0] == ends[1]:
            raise InputError(f"both ends of the pair are the same place ({row[columns['a']]})", where)
        coops.append((where, _pair_fields(row, columns, channel_value.value, ends, f"{document}:{line}")))
    dataset = validate({"places": list(places.values()), "cooperations": coops}, path)
    dataset.documents.append(
        Document.model_validate(
            {"id": document, "title": f"Pairs from {path.name}", "file": path.name, "where": str(path)}
        )
    )
    return dataset
