"""Lists of pairs from elsewhere (twin towns, partnerships): one cooperation per pair of places."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from citygraph.countries import country_code
from citygraph.errors import ConfigError, InputError
from citygraph.loaders.model import Dataset, Document
from citygraph.loaders.structured import validate
from citygraph.loaders.tabular import csv_rows, read_text
from citygraph.vocabulary import Channel, bloc_of_country, slugify

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
    rows = list(csv_rows(path, text))
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
