"""Values a query names that the graph does not hold: refused with what the user may have meant.

A named query whose answer is empty is checked against what its header says a
parameter names (``// check: place in places``): a bloc, a place, a node. A
value that matches nothing (by id, name or alias, in any case) is an error
(exit 2) with the closest values the graph holds (rapidfuzz), so
``hubs -p bloc=Indai`` says "did you mean India?" instead of "(no rows)".
An empty answer for a value the graph holds stays an empty answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from citygraph.core.errors import UnknownQuery

#: What a check can name, and the internal query that lists every value of it (with its other spellings).
KINDS = {"blocs": "blocs", "places": "place-names", "nodes": "node-names"}


def spellings(rows: Iterable[dict]) -> dict[str, str]:
    """Every spelling (id, name, alias), folded, to the name to suggest."""
    found: dict[str, str] = {}
    for row in rows:
        name = row.get("name") or row.get("id")
        if not name:
            continue
        for written in (row.get("id"), row.get("name"), *(row.get("aliases") or [])):
            if written:
                found.setdefault(str(written).casefold(), str(name))
    return found


def refuse_unknown(query: str, param: str, kind: str, value: object, known: dict[str, str]) -> None:
    """An UnknownQuery where ``value`` is none of ``known``'s spellings, naming the closest ones."""
    if isinstance(value, str) and value.strip().casefold() in known:
        return
    what = kind.rstrip("s")
    if not isinstance(value, str) or not value.strip():
        raise UnknownQuery(f"query {query}: parameter {param} is empty; give a {what} the graph holds")
    close = process.extract(value.casefold(), list(known), scorer=fuzz.WRatio, limit=6, score_cutoff=75)
    names = list(dict.fromkeys(known[c] for c, _, _ in close))[:3]
    hint = f"; did you mean {' or '.join(repr(n) for n in names)}?" if names else ""
    raise UnknownQuery(f"query {query}: the graph holds no {what} {value!r}{hint}")
