"""What the workbench asks of the graph: search, a node's neighbours, and what a node or link cites.

Every statement is built here from the model's vocabulary (labels and
relationship types are never user text) and takes its values as parameters;
:func:`check_statements` hands them all to Neo4j's own front end in the
tests. A node is known by its label and id (``Place:chengdu``): ids are
unique per label, not across labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from citygraph.model import vocabulary as V
from citygraph.model.regions import region_of
from citygraph.store import Row, Store
from citygraph.store.texts import Texts

#: The labels a workbench node may have: the parties of cooperations.
PARTIES = (V.PLACE, V.ORGANISATION)
#: The heaviest links of each country the overview draws (the answer counts them all).
OVERVIEW_LINKS = 4
#: How many facts behind one link are shown (the answer says how many there are).
LINK_FACTS = 100
#: How many neighbours one expansion returns (the best-connected first); the answer says how many more there are.
EXPAND_LIMIT = 150
FIELDS = ("labels(m) AS labels, m.id AS id, m.name AS name, m.kind AS kind, m.country AS country, "
          "m.bloc AS bloc, m.lat AS lat, m.lon AS lon")


def _label(label: str) -> str:
    if label not in PARTIES:
        raise ValueError(f"a workbench node is a {' or '.join(PARTIES)}, not {label!r}")
    return V.label(label)


def search_statement() -> str:
    """Places and organisations whose name, an alias or the id holds the text (any case, any script)."""
    place, org = V.label(V.PLACE), V.label(V.ORGANISATION)
    return (f"MATCH (m) WHERE (m:{place} OR m:{org}) AND (toLower(m.name) CONTAINS $text OR m.id CONTAINS $slug "
            "OR any(a IN coalesce(m.aliases, []) WHERE toLower(a) CONTAINS $text)) "
            f"RETURN {FIELDS}, m.aliases AS aliases LIMIT $limit")


def node_statement(label: str) -> str:
    return f"MATCH (m:{_label(label)} {{id: $id}}) RETURN {FIELDS}, m.aliases AS aliases"


def neighbour_statements(label: str) -> dict[str, str]:
    """Each way a node has neighbours: cooperations, what it reaches (through organisations and sub-places),
    the partners of its pilots, and where it sits (or what sits in it)."""
    n = f"(n:{_label(label)} {{id: $id}})"
    t = V.rel_type
    each = f"WITH m, count(*) AS weight, collect(DISTINCT {{c}}) AS channels RETURN {FIELDS}, weight, channels"
    return {
        "cooperation": f"MATCH {n}-[r:{t(V.COOPERATES_WITH)}]-(m) " + each.format(c="r.channel"),
        "reaches": f"MATCH {n}-[:{t(V.REACHES)}]-(m) " + each.format(c="NULL"),
        "pilot": f"MATCH {n}<-[:{t(V.HAS_PARTNER)}]-(p:{V.label(V.PILOT_PROJECT)})-[:{t(V.HAS_PARTNER)}]->(m) "
                 "WHERE m <> n " + each.format(c="'pilot'"),
        "located": f"MATCH {n}-[:{t(V.LOCATED_IN)}|{t(V.PART_OF)}]-(m) " + each.format(c="NULL"),
    }


def node_citations_statement(label: str) -> str:
    return (f"MATCH (n:{_label(label)} {{id: $id}})-[c:{V.rel_type(V.CITED_IN)}]->(:{V.label(V.SOURCE)}) "
            "RETURN c.source AS source ORDER BY source")


def link_statements(a: str, b: str) -> dict[str, str]:
    """Each fact that joins two nodes, with the sources it cites: a cooperation between them, a pilot that pairs
    them, a cooperation between what sits in them (organisations, sub-places)."""
    t = V.rel_type
    fa, fb = f"(a:{_label(a)} {{id: $a}})", f"(b:{_label(b)} {{id: $b}})"
    up = f"{t(V.LOCATED_IN)}|{t(V.PART_OF)}"
    return {
        "cooperation": f"MATCH {fa}-[r:{t(V.COOPERATES_WITH)}]-{fb} "
                       "RETURN r.cooperation AS fact, r.channel AS channel, r.sources AS sources, "
                       "a.name AS x, b.name AS y",
        "pilot": f"MATCH {fa}<-[ha:{t(V.HAS_PARTNER)}]-(p:{V.label(V.PILOT_PROJECT)})-[hb:{t(V.HAS_PARTNER)}]->{fb} "
                 "RETURN p.id AS fact, 'pilot' AS channel, coalesce(ha.sources, []) + coalesce(hb.sources, []) "
                 "AS sources, p.name AS x, p.programme AS y",
        "through": f"MATCH {fa}<-[:{up}*0..3]-(x)-[r:{t(V.COOPERATES_WITH)}]-(y)-[:{up}*0..3]->{fb} "
                   "WHERE x <> a OR y <> b RETURN DISTINCT r.cooperation AS fact, r.channel AS channel, "
                   "r.sources AS sources, x.name AS x, y.name AS y LIMIT 50",
    }


def facts_statement() -> str:
    """The title of each cooperation or pilot a link names."""
    coop, pilot = V.label(V.COOPERATION), V.label(V.PILOT_PROJECT)
    return (f"MATCH (f) WHERE (f:{coop} OR f:{pilot}) AND f.id IN $ids "
            "RETURN f.id AS id, coalesce(f.title, f.name) AS title")


def documents_statement() -> str:
    return (f"MATCH (s:{V.label(V.SOURCE)}) WHERE s.id IN $ids "
            "RETURN s.id AS id, s.title AS title, s.file AS file, s.sha256 AS sha256")


def check_statements() -> list[tuple[str, dict[str, Any]]]:
    """Every statement above with example parameters, for the Neo4j front-end check."""
    out: list[tuple[str, dict[str, Any]]] = [
        (search_statement(), {"text": "x", "slug": "x", "limit": 1}),
        (facts_statement(), {"ids": []}), (documents_statement(), {"ids": []}), (names_statement(), {}),
        (country_places_statement(), {"country": "CN", "limit": 1}),
        *((text, {}) for text in (*COUNT_STATEMENTS, *overview_statements().values()))]
    for label in PARTIES:
        out += [(node_statement(label), {"id": "x"}), (node_citations_statement(label), {"id": "x"})]
        out += [(text, {"id": "x"}) for text in neighbour_statements(label).values()]
        out += [(text, {"a": "x", "b": "y"}) for other in PARTIES for text in link_statements(label, other).values()]
    return out


def node_of(row: Row) -> dict[str, Any] | None:
    """A row of :data:`FIELDS` as the workbench's node, or None for a node that is not a party."""
    label = next((lab for lab in PARTIES if lab in (row.get("labels") or ())), None)
    if label is None or row.get("id") is None:
        return None
    return {"key": f"{label}:{row['id']}", "label": label, "id": row["id"], "name": row.get("name") or row["id"],
            "kind": row.get("kind"), "country": row.get("country"), "bloc": row.get("bloc"),
            "region": region_of(row.get("country")) if row.get("country") else
            "Organisation" if label == V.ORGANISATION else "Elsewhere", "lat": row.get("lat"), "lon": row.get("lon"),
            "aliases": row.get("aliases") or []}


def parse_key(key: str) -> tuple[str, str]:
    """``Place:chengdu`` -> (``Place``, ``chengdu``); a ValueError for anything else."""
    label, sep, ident = key.partition(":")
    if not sep or not ident:
        raise ValueError(f"a node is named Label:id (Place:chengdu), not {key!r}")
    _label(label)
    return label, ident


def search(store: Store, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Places and organisations by any name or alias, exact names first, then the shortest."""
    folded = text.strip().casefold()
    if not folded:
        return []
    rows = store.read(search_statement(), {"text": folded, "slug": V.slugify(text) or folded, "limit": 400})
    nodes = [n for n in map(node_of, rows) if n]

    def rank(n: dict[str, Any]) -> tuple[int, int, str]:
        names = [n["name"], *n["aliases"]]
        exact = any(x.casefold() == folded for x in names)
        starts = any(x.casefold().startswith(folded) for x in names)
        return (0 if exact else 1 if starts else 2, len(n["name"]), n["name"])

    return sorted(nodes, key=rank)[:limit]


def node(store: Store, key: str) -> dict[str, Any] | None:
    label, ident = parse_key(key)
    rows = store.read(node_statement(label), {"id": ident})
    return node_of(rows[0]) if rows else None


@dataclass
class Expansion:
    node: dict[str, Any]
    neighbours: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    more: int  # neighbours left out (beyond the limit)


def expand(store: Store, key: str, limit: int = EXPAND_LIMIT) -> Expansion | None:
    """A node and its neighbours, each edge with how they are joined (``cooperation``, ``reaches``, ``pilot``,
    ``located``), the channels and the number of facts; the best-connected ``limit`` neighbours."""
    centre = node(store, key)
    if centre is None:
        return None
    found: dict[str, dict[str, Any]] = {}
    links: dict[str, dict[str, Any]] = {}
    for how, text in neighbour_statements(centre["label"]).items():
        for row in store.read(text, {"id": centre["id"]}):
            other = node_of(row)
            if other is None or other["key"] == key:
                continue
            found.setdefault(other["key"], other)
            link = links.setdefault(other["key"], {"source": key, "target": other["key"], "ways": [],
                                                   "channels": [], "weight": 0})
            link["ways"].append(how)
            link["channels"] += [c for c in row["channels"] if c and c not in link["channels"]]
            link["weight"] += row["weight"]
    ranked = sorted(links.values(), key=lambda lk: (-lk["weight"], found[lk["target"]]["name"]))
    kept = ranked[:limit]
    return Expansion(centre, [found[lk["target"]] for lk in kept], kept, len(ranked) - len(kept))


def _split_source(source: str) -> tuple[str, int, int] | None:
    """``pilots-2016:24`` / ``pilots-2016:67-72`` -> (document, start, end)."""
    document, _, lines = source.rpartition(":")
    start, _, end = lines.partition("-")
    if not document or not start.isdigit() or not (end or start).isdigit():
        return None
    return document, int(start), int(end or start)


def cited(store: Store, sources: Iterable[str], texts: Texts) -> list[dict[str, Any]]:
    """Each source with its document and, where this machine keeps the document's text, the lines it cites;
    ``missing`` says why lines are not shown."""
    parsed = {s: _split_source(s) for s in dict.fromkeys(sources)}
    documents = {r["id"]: r for r in store.read(documents_statement(),
                                                 {"ids": sorted({p[0] for p in parsed.values() if p})})}
    out = []
    for source, where in parsed.items():
        entry: dict[str, Any] = {"source": source, "document": None, "title": None, "file": None, "lines": []}
        doc = documents.get(where[0]) if where else None
        if doc is None or where is None:
            entry["missing"] = "no document of this name is in the graph"
        else:
            entry.update(document=doc["id"], title=doc.get("title"), file=doc.get("file"))
            lines = texts.lines(doc["sha256"], where[1], where[2]) if doc.get("sha256") else None
            name = doc.get("file") or doc["id"]
            if lines is None and not doc.get("sha256"):
                entry["missing"] = f"line {where[1]} of {name}: only reports' texts are kept, not lists'"
            elif lines is None:
                entry["missing"] = (f"the text of {name} is not kept on this machine: load the report itself to "
                                    "see its lines")
            else:
                entry["lines"] = [{"line": x.line, "locator": x.locator, "text": x.text} for x in lines]
        out.append(entry)
    return out


def node_provenance(store: Store, key: str, texts: Texts) -> list[dict[str, Any]]:
    label, ident = parse_key(key)
    sources = [r["source"] for r in store.read(node_citations_statement(label), {"id": ident}) if r.get("source")]
    return cited(store, sources, texts)


def link_provenance(store: Store, a: str, b: str, texts: Texts, limit: int = LINK_FACTS) -> dict[str, Any]:
    """The facts joining ``a`` and ``b`` (the statements do not care which is which; the first ``limit``, and
    how many there are), each with its title and what it cites; a cooperation met both directly and through
    a sub-place is listed once."""
    (la, ia), (lb, ib) = parse_key(a), parse_key(b)
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for how, text in link_statements(la, lb).items():  # each is symmetric
        for row in store.read(text, {"a": ia, "b": ib}):
            first.setdefault((how, row["fact"]), {"how": how, **row})
    shown = list(first.values())[:limit]
    titles = {r["id"]: r["title"] for r in store.read(facts_statement(), {"ids": [f["fact"] for f in shown]})}
    sources = {e["source"]: e for e in cited(store, [s for f in shown for s in f["sources"] or []], texts)}
    facts = [{"how": f["how"], "fact": f["fact"], "title": titles.get(f["fact"]) or f["fact"],
              "channel": f["channel"], "between": [f["x"], f["y"]],
              "sources": [sources[s] for s in dict.fromkeys(f["sources"] or [])]} for f in shown]
    return {"facts": facts, "total": len(first)}


def names_statement() -> str:
    """Every place and organisation, for the index that finds them by id or name in a result's values."""
    place, org = V.label(V.PLACE), V.label(V.ORGANISATION)
    return f"MATCH (m) WHERE m:{place} OR m:{org} RETURN {FIELDS}, m.aliases AS aliases"


COUNT_STATEMENTS = ("MATCH (n) RETURN count(n) AS n", "MATCH ()-[r]->() RETURN count(r) AS n")


def census(store: Store) -> tuple[int, int]:
    """How many nodes and relationships the graph holds (what tells a cached index it may be stale)."""
    nodes, links = (store.read(text)[0]["n"] for text in COUNT_STATEMENTS)
    return nodes, links


def name_index(store: Store) -> dict[str, dict[str, Any]]:
    """Each id and name of a place or organisation -> its node (a place wins over an organisation)."""
    index: dict[str, dict[str, Any]] = {}
    for node in filter(None, map(node_of, store.read(names_statement()))):
        for text in (node["id"], node["name"]):
            if text not in index or node["label"] == V.PLACE and index[text]["label"] != V.PLACE:
                index[text] = node
    return index


def _values(value: Any) -> Iterable[str]:
    """The texts in a cell that may name a node: a string, the strings of a list, a node's id."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _values(v)
    elif isinstance(value, dict) and "labels" in value:
        ident = (value.get("properties") or {}).get("id")
        if isinstance(ident, str):
            yield ident


def places_in(rows: list[Row], index: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each text in the rows that names a place or organisation (by id or name) -> its node."""
    return {v: index[v] for row in rows for cell in row.values() for v in _values(cell) if v in index}


def _named(row: Row, places: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The nodes a row names, in column order; a country only as the row's first (a ``bloc`` or ``country``
    column names one in every row, and would join them all)."""
    found = [places[v] for cell in row.values() for v in _values(cell) if v in places]
    return [n for i, n in enumerate(found) if i == 0 or n["kind"] != V.COUNTRY]


def result_graph(rows: list[Row], places: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A result as a network: in each row, the first cell that names a node is joined to every other node the
    row names (``hubs``: a hub to its partners; a path's steps in turn are not implied)."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], int] = {}
    for row in rows:
        named = _named(row, places)
        for n in named:
            nodes.setdefault(n["key"], n)
        for other in dict.fromkeys(n["key"] for n in named[1:]):
            if other != named[0]["key"]:
                pair = (named[0]["key"], other)
                edges[pair] = edges.get(pair, 0) + 1
    return {"nodes": list(nodes.values()),
            "edges": [{"source": a, "target": b, "weight": w, "ways": ["result"], "channels": []}
                      for (a, b), w in edges.items()]}


def overview_statements() -> dict[str, str]:
    """Countries as the workbench's overview: how many places with cooperations each holds, and how many
    cooperations join each two (an organisation counts in the country of the place it is located in)."""
    place, coop, located = V.label(V.PLACE), V.rel_type(V.COOPERATES_WITH), V.rel_type(V.LOCATED_IN)
    return {
        "countries": f"MATCH (p:{place}) WHERE p.country IS NOT NULL AND (p)-[:{coop}]-() "
                     "RETURN p.country AS country, count(p) AS places",
        "links": f"MATCH (a)-[:{coop}]->(b) OPTIONAL MATCH (a)-[:{located}]->(pa:{place}) "
                 f"OPTIONAL MATCH (b)-[:{located}]->(pb:{place}) "
                 "WITH coalesce(a.country, pa.country) AS ca, coalesce(b.country, pb.country) AS cb "
                 "WHERE ca IS NOT NULL AND cb IS NOT NULL AND ca <> cb "
                 "RETURN ca AS a, cb AS b, count(*) AS weight",
    }


def country_places_statement() -> str:
    """A country's places with cooperations, the busiest first."""
    place, coop = V.label(V.PLACE), V.rel_type(V.COOPERATES_WITH)
    return (f"MATCH (m:{place} {{country: $country}})-[r:{coop}]-() WITH m, count(r) AS n "
            f"RETURN {FIELDS}, m.aliases AS aliases, n ORDER BY n DESC, name LIMIT $limit")


def country_node(code: str, places: int) -> dict[str, Any]:
    from citygraph.model.countries import short_name

    return {"key": f"country:{code}", "label": "Country", "id": code, "name": short_name(code), "kind": "Country",
            "country": code, "bloc": None, "region": region_of(code), "lat": None, "lon": None, "aliases": [],
            "places": places}


def overview(store: Store) -> dict[str, Any]:
    """Every country with places that cooperate, and the cooperations between each two, as a network."""
    text = overview_statements()
    counts = {r["country"]: r["places"] for r in store.read(text["countries"])}
    weights: dict[tuple[str, str], int] = {}
    for r in store.read(text["links"]):
        pair = (min(r["a"], r["b"]), max(r["a"], r["b"]))
        weights[pair] = weights.get(pair, 0) + r["weight"]
    codes = sorted(set(counts) | {c for pair in weights for c in pair})
    drawn = strongest(weights, OVERVIEW_LINKS)
    return {"nodes": [country_node(c, counts.get(c, 0)) for c in codes], "links": len(weights),
            "edges": [{"source": f"country:{a}", "target": f"country:{b}", "weight": w, "ways": ["countries"],
                       "channels": []} for (a, b), w in sorted(weights.items()) if (a, b) in drawn]}


def strongest(weights: dict[tuple[str, str], int], per_node: int) -> set[tuple[str, str]]:
    """Each node's ``per_node`` heaviest links (a link is kept if it is among either end's): a list of 140
    countries joins almost every two of them, and all 13,000 links drawn are one grey disc."""
    by_node: dict[str, list[tuple[int, tuple[str, str]]]] = {}
    for pair, w in weights.items():
        for end in pair:
            by_node.setdefault(end, []).append((w, pair))
    return {pair for links in by_node.values() for _, pair in sorted(links, reverse=True)[:per_node]}


def country_places(store: Store, code: str, limit: int = EXPAND_LIMIT) -> dict[str, Any]:
    """A country of the overview taken apart: its busiest places, each joined to the country."""
    rows = store.read(country_places_statement(), {"country": code.upper(), "limit": limit})
    nodes = [n for n in map(node_of, rows) if n]
    return {"nodes": nodes, "edges": [{"source": f"country:{code.upper()}", "target": n["key"], "weight": 1,
                                       "ways": ["in"], "channels": []} for n in nodes]}
