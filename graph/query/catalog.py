"""The named query library: one ``.cypher`` file per query, with a header.

Header lines at the top of each file (``//`` comments) are read here::

    // name: hubs
    // description: one line for `citygraph queries`
    // param: bloc: str = "China" -- what it means
    // param: place: str -- required when there is no default
    // param: via: str in (any, pilots) = "any" -- a closed choice
    // columns: place, bloc, partner_count, partners

A file ``NAME.<engine>.cypher`` beside ``NAME.cypher`` is that engine's
variant, used only where the dialects really differ. A file
``NAME.<param>-<value>.cypher`` is the query's reading for that value of a
choice parameter (``hubs.via-pilots.cypher``): the same parameters and
columns, other Cypher. Queries take ``$`` parameters only; the catalog
checks and converts the values. A ``limit`` parameter bounds the rows
(``LIMIT $limit``); the catalog asks for one more, so that a caller can say
when rows were left out.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from citygraph.core.errors import UnknownQuery
from citygraph.core.resources import resource_dir
from citygraph.query.params import check_integers
from citygraph.query.suggest import KINDS, refuse_unknown, spellings
from citygraph.store.base import Row, Store

log = logging.getLogger(__name__)

TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list}
#: ``name: type [in (a, b, …)] [>= minimum] [= default] [-- help]``
PARAM = re.compile(r"^(\w+)\s*:\s*(\w+)\s*(?:in\s*\(([^)]*)\)\s*)?(?:>=\s*(-?\d+)\s*)?(?:=\s*(.+?))?\s*"
                   r"(?:--\s*(.*))?$")
UNSET = object()
#: A query's parameter that bounds its rows (``LIMIT $limit``): :func:`answer` tells whether it left rows out.
LIMIT = "limit"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = UNSET
    help: str = ""
    minimum: int | None = None  # the smallest value an int parameter takes
    choices: tuple[str, ...] = ()  # the only values a choice parameter takes (any case)

    @property
    def required(self) -> bool:
        return self.default is UNSET

    def convert(self, value: Any, query: str) -> Any:
        converted = self._typed(value, query)
        if self.choices:
            return self._chosen(converted, query)
        if self.type == "int":
            check_integers(self.name, converted)
            if self.minimum is not None and converted < self.minimum:
                raise UnknownQuery(f"query {query}: parameter {self.name} must be at least {self.minimum}, "
                                   f"got {converted}")
        return converted

    def _chosen(self, value: Any, query: str) -> str:
        if value == "" and self.default == "":  # empty: all of them
            return ""
        folded = {c.casefold(): c for c in self.choices}
        if isinstance(value, str) and value.strip().casefold() in folded:
            return folded[value.strip().casefold()]
        close = process.extractOne(str(value).casefold(), list(folded), scorer=fuzz.WRatio, score_cutoff=60)
        hint = f"; did you mean {folded[close[0]]!r}?" if close else ""
        raise UnknownQuery(f"query {query}: parameter {self.name} is one of {', '.join(self.choices)}, "
                           f"got {value!r}{hint}")

    def _typed(self, value: Any, query: str) -> Any:
        kind = TYPES[self.type]
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if kind is str:
            return (
                value if isinstance(value, str) else json.dumps(value) if isinstance(value, list | dict) else str(value)
            )
        if isinstance(value, str):
            try:
                if kind is bool and value.lower() in ("true", "false", "yes", "no", "1", "0"):
                    return value.lower() in ("true", "yes", "1")
                if kind is int:
                    return int(value)
                if kind is float:
                    return float(value)
                if kind is list:
                    parsed = json.loads(value) if value.startswith("[") else [v.strip() for v in value.split(",")]
                    if isinstance(parsed, list):
                        return parsed
            except ValueError:
                pass
        raise UnknownQuery(f"query {query}: parameter {self.name} must be {self.type}, got {value!r}")

    def describe(self) -> str:
        default = "" if self.required else f" = {json.dumps(self.default, ensure_ascii=False)}"
        minimum = f" >= {self.minimum}" if self.minimum is not None else ""
        choices = f" in ({', '.join(self.choices)})" if self.choices else ""
        return f"{self.name}: {self.type}{choices}{minimum}{default}"

    @property
    def example(self) -> Any:
        """A value to show in examples: the ``(e.g. …)`` of its help, else its default, else one of its type."""
        given = re.search(r"e\.g\. ([^)]+)\)", self.help)
        if given:
            return self.convert(given.group(1).strip(), "example")
        if not self.required and self.default not in ("", None):
            return self.default
        return {"str": "Chengdu", "int": 1, "float": 1.0, "bool": True, "list": ["Chengdu"]}[self.type]


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    cypher: str
    path: Path
    variants: dict[str, str] = field(default_factory=dict)
    #: (choice parameter, value) -> that reading (``NAME.via-pilots.cypher``): its Cypher and description.
    readings: dict[tuple[str, str], NamedQuery] = field(default_factory=dict)
    #: Parameters that name something the graph holds (``// check: place in places``), checked when the
    #: answer is empty (:mod:`citygraph.query.suggest`).
    checks: tuple[tuple[str, str], ...] = ()
    #: Parameters checked only when not empty (``// check: partners in blocs or empty``): empty means "any".
    may_be_empty: frozenset[str] = frozenset()

    def text_for(self, engine: str, bound: dict[str, Any] | None = None) -> str:
        """The Cypher for ``engine``, in the reading the ``bound`` choice parameters select."""
        reading = self.reading(bound)
        return reading.cypher if reading else self.variants.get(engine, self.cypher)

    def reading(self, bound: dict[str, Any] | None) -> NamedQuery | None:
        """The reading the choice parameters in ``bound`` (or their defaults) select, if not the base."""
        for (param, value), reading in self.readings.items():
            if str((bound or {}).get(param, self.default_of(param))).casefold() == value.casefold():
                return reading
        return None

    def description_for(self, bound: dict[str, Any] | None) -> str:
        reading = self.reading(bound)
        return reading.description if reading else self.description

    def default_of(self, name: str) -> Any:
        return next((p.default for p in self.params if p.name == name), None)

    def example_args(self) -> list[str]:
        """``-p key=value`` for each parameter that needs a value to make a useful example."""
        return [f"-p {p.name}={_shell(p.example)}" for p in self.params if p.required or "e.g." in p.help]

    def for_browser(self, engine: str = "neo4j", given: dict[str, Any] | None = None) -> str:
        """The query with ``:param`` lines before it: paste both into Neo4j Browser and run."""
        values = {p.name: p.example if p.required else p.default for p in self.params} | (given or {})
        lines = [f":param {k} => {json.dumps(v, ensure_ascii=False)};" for k, v in values.items()]
        return "\n".join([*lines, f"// {self.name}: {self.description_for(values)}", self.text_for(engine, values)])

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        expected = ", ".join(p.describe() for p in self.params) or "none"
        if unknown:
            raise UnknownQuery(f"query {self.name}: unknown parameter {unknown[0]!r}; expected: {expected}")
        bound = {}
        for p in self.params:
            if p.name in given:
                bound[p.name] = p.convert(given[p.name], self.name)
            elif p.required:
                raise UnknownQuery(
                    f"query {self.name}: missing parameter {p.name!r} (-p {p.name}=…); expected: {expected}"
                )
            else:
                bound[p.name] = p.default
        return bound


def _shell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if re.fullmatch(r"[\w.,:/-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def _header(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """The ``//`` header lines of a query file (keys and values) and the Cypher after them."""
    header: dict[str, Any] = {"param": [], "check": []}
    lines = text.splitlines()
    body_at = len(lines)
    for i, line in enumerate(lines):
        if not line.startswith("//"):
            body_at = i
            break
        key, _, value = line[2:].strip().partition(":")
        key = key.strip()
        if key in ("param", "check"):
            header[key].append(value.strip())
        elif key and " " not in key:
            header[key] = value.strip()
    for required in ("name", "description", "columns"):
        if required not in header:
            raise ValueError(f"{path}: header has no {required}:")
    return header, "\n".join(lines[body_at:]).strip()


def _param(spec: str, path: Path) -> Param:
    m = PARAM.match(spec)
    if not m or m.group(2) not in TYPES:
        raise ValueError(f"{path}: bad param header {spec!r}")
    choices = tuple(c.strip() for c in m.group(3).split(",") if c.strip()) if m.group(3) is not None else ()
    default = json.loads(m.group(5)) if m.group(5) is not None else UNSET
    minimum = int(m.group(4)) if m.group(4) is not None else None
    if choices and (m.group(2) != "str" or (default is not UNSET and default not in (*choices, ""))):
        raise ValueError(f"{path}: a choice parameter is a str whose default is one of its choices (or empty, for "
                         f"all): {spec!r}")
    return Param(m.group(1), m.group(2), default, (m.group(6) or "").strip(), minimum, choices)


def parse_file(path: Path) -> NamedQuery:
    """One ``.cypher`` file: its header and its Cypher."""
    header, body = _header(path.read_text(encoding="utf-8"), path)
    params = tuple(_param(spec, path) for spec in header["param"])
    columns = tuple(c.strip() for c in header["columns"].split(","))
    return NamedQuery(header["name"], header["description"], params, columns, body, path,
                      checks=tuple(_check(spec.removesuffix(" or empty"), params, path) for spec in header["check"]),
                      may_be_empty=frozenset(spec.split()[0] for spec in header["check"] if spec.endswith(" or empty")))


def _check(spec: str, params: tuple[Param, ...], path: Path) -> tuple[str, str]:
    """``place in places``: a parameter, and what in the graph it names."""
    m = re.fullmatch(r"(\w+)\s+in\s+(\w+)", spec)
    if not m or m.group(1) not in {p.name for p in params} or m.group(2) not in KINDS:
        raise ValueError(f"{path}: check {spec!r} is not 'PARAM in {'|'.join(KINDS)}' for one of its parameters")
    return m.group(1), m.group(2)


def _same_contract(base: NamedQuery, variant: NamedQuery, reading: bool = False) -> None:
    """A variant is the same query in another dialect: same name, parameters, columns and description. A
    reading may say what it reads in its own description."""
    for attr in ("name", "params", "columns", *(() if reading else ("description",))):
        if getattr(base, attr) != getattr(variant, attr):
            raise ValueError(
                f"{variant.path}: its {attr} differs from {base.path.name}'s; a variant changes only the Cypher"
            )


def _read_folder(folder: Path) -> dict[str, NamedQuery]:
    """Every ``NAME.cypher`` in ``folder`` with its ``NAME.<engine>.cypher`` variants."""
    queries: dict[str, NamedQuery] = {}
    for path in sorted(folder.glob("*.cypher")):
        if path.stem.count(".") == 0:
            q = parse_file(path)
            queries[q.name] = q
    for path in sorted(folder.glob("*.*.cypher")):
        name, engine = path.stem.split(".", 1)
        if name not in queries:
            raise ValueError(f"{path}: a variant of {name}.cypher, which does not exist")
        variant = parse_file(path)
        _same_contract(queries[name], variant, reading="-" in engine)
        if "-" in engine:
            queries[name].readings[_reading(queries[name], engine, path)] = variant
        else:
            queries[name].variants[engine] = variant.cypher
    return queries


def _reading(query: NamedQuery, spec: str, path: Path) -> tuple[str, str]:
    """``via-pilots``: a choice parameter of ``query`` and one of its values."""
    param, _, value = spec.partition("-")
    choices = next((p.choices for p in query.params if p.name == param), ())
    if value not in choices:
        raise ValueError(f"{path}: {param!r} is not a choice parameter of {query.name} with the value {value!r}")
    return param, value


@cache
def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """The analysts' query library (``citygraph queries``), by name."""
    return _read_folder(folder or resource_dir("cypher"))


@cache
def internal_queries() -> dict[str, NamedQuery]:
    """The read queries citygraph itself runs (analytics, export, stats, the writer's id look-up)."""
    return _read_folder(resource_dir("cypher") / "internal")


def internal(name: str) -> NamedQuery:
    """One internal query by name (a missing one is a bug, not a user error)."""
    return internal_queries()[name]


def get(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise UnknownQuery(f"no query named {name!r}; known: {', '.join(sorted(queries))} (see `citygraph queries`)")
    return queries[name]


def run(store: Store, name: str, params: dict[str, Any] | None = None) -> list[Row]:
    """Run a named query read-only and return rows with exactly its columns."""
    return answer(store, name, params)[0]


def answer(store: Store, name: str, params: dict[str, Any] | None = None) -> tuple[list[Row], bool]:
    """Run a named query read-only: its rows, with exactly its columns, and whether its :data:`LIMIT` left rows
    out (the query is asked for one row more than the limit, so the caller can say so)."""
    query = get(name)
    bound = query.bind(params or {})
    sent = {**bound, LIMIT: bound[LIMIT] + 1} if LIMIT in bound else bound
    started = time.perf_counter()
    rows = store.read(query.text_for(store.engine, bound), sent)
    log.info("query %s on %s: %d rows in %.0f ms", name, store.display, len(rows),
             1000 * (time.perf_counter() - started))
    log.debug("query %s parameters: %s", name, bound)
    if not rows:
        _check_named(store, query, bound)
    more = LIMIT in bound and len(rows) > bound[LIMIT]
    if more:
        rows = rows[:bound[LIMIT]]
    return [{c: row.get(c) for c in query.columns} for row in rows], more


def _check_named(store: Store, query: NamedQuery, bound: dict[str, Any]) -> None:
    """An empty answer: each value the header says names something must name something the graph holds."""
    for param, kind in query.checks:
        if bound.get(param) == "" and param in query.may_be_empty:
            continue
        known = spellings(read(store, KINDS[kind]))
        if known:  # an empty graph is told so by the caller, not checked
            refuse_unknown(query.name, param, kind, bound.get(param), known)


def read(store: Store, name: str, params: dict[str, Any] | None = None) -> list[Row]:
    """Run an internal query read-only."""
    started = time.perf_counter()
    rows = store.read(internal(name).text_for(store.engine), params or {})
    log.debug("internal query %s: %d rows in %.0f ms", name, len(rows), 1000 * (time.perf_counter() - started))
    return rows
