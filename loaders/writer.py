"""The batched writer: the only loader code that talks to the store.

A :class:`~citygraph.loaders.model.Dataset` is checked as a whole first (duplicates,
dangling references, contact data) and turned into grouped rows; only then
is anything written, as ``UNWIND $rows AS row MERGE … {id: row.id}`` batches
after the uniqueness constraints exist. A load that fails its checks writes
nothing, and loading the same input twice changes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from citygraph import vocabulary as V
from citygraph.errors import InputError
from citygraph.store import Store
from citygraph.loaders.gcpause import without_cyclic_gc
from citygraph.loaders.model import Dataset, Item, SourceRef
from citygraph.loaders.sender import Sender

log = logging.getLogger(__name__)

#: Roles of an involvement that make the party a cooperating partner (and so
#: an end of the derived COOPERATES_WITH shortcut); others (supporter,
#: funder, adviser) are kept on INVOLVES only.
PARTNER_ROLES = frozenset({"partner", "host", "lead"})


def node_statement(lab: str, kind: str | None = None) -> str:
    extra = f", n:{V.label(kind)}" if kind else ""
    return f"UNWIND $rows AS row MERGE (n:{V.label(lab)} {{id: row.id}}) SET n += row.props{extra}"


def rel_statement(rel: str, src: str, dst: str) -> str:
    key = V.REL_MERGE_KEYS.get(rel)
    pattern = f" {{{V.property_key(key)}: row.key}}" if key else ""
    return (f"UNWIND $rows AS row MATCH (a:{V.label(src)} {{id: row.a}}) MATCH (b:{V.label(dst)} {{id: row.b}}) "
            f"MERGE (a)-[r:{V.rel_type(rel)}{pattern}]->(b) SET r += row.props")


def _end(var: str, key: str) -> str:
    """A shortcut end: a place or an organisation, looked up by id under both labels (both indexed)."""
    return (f"OPTIONAL MATCH ({var}p:{V.label(V.PLACE)} {{id: s.{key}}}) "
            f"OPTIONAL MATCH ({var}o:{V.label(V.ORGANISATION)} {{id: s.{key}}}) ")


def cooperation_statement() -> str:
    """Cooperation nodes and their COOPERATES_WITH shortcuts in one query, for engines that run each
    write alone (:attr:`Store.serial_writes`).

    A cooperation that did not exist before this query has no shortcuts yet: they are created
    outright. MERGE would scan every parallel shortcut between the two parties first (thousands,
    where a pilot pair carries thousands of cooperations), which made loading quadratic. Shortcuts
    of a cooperation that existed already (a reload) are merged as usual.
    """
    t = V.rel_type(V.COOPERATES_WITH)
    return (f"UNWIND $rows AS row OPTIONAL MATCH (old:{V.label(V.COOPERATION)} {{id: row.id}}) "
            f"MERGE (c:{V.label(V.COOPERATION)} {{id: row.id}}) SET c += row.props "
            "WITH c, row, old IS NULL AS fresh UNWIND row.shortcuts AS s "
            + _end("a", "a") + _end("b", "b") +
            "WITH c, s, fresh, coalesce(ap, ao) AS a, coalesce(bp, bo) AS b "
            f"FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END | CREATE (a)-[r:{t}]->(b) SET r += s.props) "
            f"FOREACH (_ IN CASE WHEN fresh THEN [] ELSE [1] END | "
            f"MERGE (a)-[r:{t} {{{V.property_key(V.REL_MERGE_KEYS[V.COOPERATES_WITH])}: c.id}}]->(b) SET r += s.props)")


def all_statements() -> list[str]:
    """Every statement shape the writer can send (for the Neo4j front-end check)."""
    out = [node_statement(lab) for lab in V.NODE_LABELS]
    out += [node_statement(V.PLACE, k) for k in V.PLACE_KINDS]
    out += [node_statement(V.ORGANISATION, k) for k in V.ORGANISATION_KINDS]
    out += [rel_statement(rel, V.PLACE, V.ORGANISATION) for rel in V.REL_TYPES]
    out.append(cooperation_statement())
    return out


#: Node keys the writer MERGEs on: each gets a uniqueness constraint.
SCHEMA_KEYS = tuple((lab, "id") for lab in V.NODE_LABELS)

#: Cooperations per part: a load holds one part's rows in memory at a time.
COOPERATION_CHUNK = 20_000


@dataclass
class Part:
    """Rows grouped by statement shape; nodes first, so relationships find both ends."""

    items: int = 0
    nodes: dict[tuple[str, str | None], list[dict]] = field(default_factory=lambda: defaultdict(list))
    rels: dict[tuple[str, str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))

    def rows(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.rels.values()))

    def statements(self, serial: bool = False) -> Iterable[tuple[str, list[dict]]]:
        """(statement, rows) in writing order; with ``serial``, shortcuts ride on their cooperation's row."""
        shortcuts: dict[str, list[dict]] = defaultdict(list)
        if serial:
            for (rel, _, _), rows in self.rels.items():
                if rel == V.COOPERATES_WITH:
                    for row in rows:
                        shortcuts[row["key"]].append(row)
        for (lab, kind), rows in self.nodes.items():
            if serial and lab == V.COOPERATION:
                yield cooperation_statement(), [{**row, "shortcuts": shortcuts.get(row["id"], [])} for row in rows]
            else:
                yield node_statement(lab, kind), rows
        for (rel, src, dst), rows in self.rels.items():
            if not (serial and rel == V.COOPERATES_WITH):
                yield rel_statement(rel, src, dst), rows


def row_count(rows: list[dict]) -> int:
    """Nodes and relationships that ``rows`` write (a cooperation's row carries its shortcuts)."""
    return len(rows) + sum(len(row["shortcuts"]) for row in rows if "shortcuts" in row)


@dataclass
class LoadReport:
    rows: int = 0
    counters: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)


INDEX_QUERY = "MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, labels(n) AS labels, n.bloc AS bloc"


def _props(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != []}


def _dedupe(dataset: Dataset) -> None:
    """One item per id and section; a second definition must agree with the first."""
    for section in ("documents", "places", "organisations", "people", "programmes", "pilots",
                    "cooperations", "agreements", "events"):
        items: list[Item] = getattr(dataset, section)
        seen: dict[str, Item] = {}
        out = []
        for item in items:
            first = seen.get(item.id)
            if first is None:
                seen[item.id] = item
                out.append(item)
                continue
            a = first.model_dump(exclude={"sources", "where", "aliases"})
            b = item.model_dump(exclude={"sources", "where", "aliases"})
            if a != b and _other_edition(first, item):
                # The same fact in another document (a later edition): one node, the
                # later wording, the parties of both.
                for key, value in b.items():
                    if key in ("involves", "sectors", "europe", "asia", "signed_by", "about"):
                        merged = list(getattr(first, key))
                        merged += [x for x in getattr(item, key) if x not in merged]
                        setattr(first, key, merged)
                    elif value is not None:
                        setattr(first, key, getattr(item, key))
            elif a != b:
                diff = next(k for k in a if a[k] != b.get(k))
                raise InputError(f"{section[:-1]} {item.id!r} is defined again with a different {diff} "
                                 f"(first at {first.where})", item.where)
            for attr in ("sources", "aliases"):
                if hasattr(first, attr):
                    merged = list(getattr(first, attr))
                    merged += [x for x in getattr(item, attr) if x not in merged]
                    setattr(first, attr, merged)
        setattr(dataset, section, out)


def _other_edition(a: Item, b: Item) -> bool:
    docs_a = {s.document for s in getattr(a, "sources", [])}
    docs_b = {s.document for s in getattr(b, "sources", [])}
    return bool(docs_a) and bool(docs_b) and not docs_a & docs_b


class _Index:
    """Label, bloc and place of every id the load may refer to."""

    def __init__(self, dataset: Dataset, store: Store | None) -> None:
        self.label: dict[str, str] = {}
        self.bloc: dict[str, str] = {}
        places = {p.id: p for p in dataset.places}
        for p in dataset.places:
            self.label[p.id] = V.PLACE
            self.bloc[p.id] = (p.bloc or V.bloc_of_country(p.country)).value
        refs = self._refs(dataset)
        org_ids = {o.id for o in dataset.organisations}
        missing = {r for r, _ in refs if r not in self.label and r not in org_ids}
        missing |= {o.located_in for o in dataset.organisations if o.located_in not in places}
        self._from_graph(store, missing)
        for o in dataset.organisations:
            self.label[o.id] = V.ORGANISATION
            self.bloc[o.id] = self.bloc.get(o.located_in, V.Bloc.OTHER.value)
        self.label.update(dict.fromkeys(V.SECTORS, V.SECTOR))
        for section, lab in (("programmes", V.PROGRAMME), ("people", V.PERSON), ("pilots", V.PILOT_PROJECT), ("cooperations", V.COOPERATION),
                             ("agreements", V.AGREEMENT), ("events", V.EVENT)):
            for item in getattr(dataset, section):
                if item.id in self.label and self.label[item.id] != lab:
                    raise InputError(f"id {item.id!r} is used by a {self.label[item.id]} and a {lab}; references "
                                     "go by id, so ids must differ across kinds", item.where)
                self.label[item.id] = lab
        self._from_graph(store, {r for r, _ in refs if r not in self.label}
                         | {V.slugify(p.programme.value) for p in dataset.pilots} - set(self.label))
        for ref, where in refs:
            if ref not in self.label:
                raise InputError(f"refers to {ref!r}, which is neither in this load nor in the graph", where)

    def _from_graph(self, store: Store | None, ids: set[str]) -> None:
        if not ids or store is None:
            return
        rows = store.read(INDEX_QUERY, {"ids": sorted(ids)})
        for row in rows:
            lab = next((lab for lab in row["labels"] if lab in V.NODE_LABELS), None)
            if lab:
                self.label[row["id"]] = lab
                if row["bloc"]:
                    self.bloc[row["id"]] = row["bloc"]

    @staticmethod
    def _refs(d: Dataset) -> list[tuple[str, str]]:
        refs = [(p.part_of, p.where) for p in d.places if p.part_of]
        refs += [(o.located_in, o.where) for o in d.organisations]
        refs += [(p.organisation, p.where) for p in d.people if p.organisation]
        for p in d.pilots:
            refs += [(x, p.where) for x in [*p.europe, *p.asia]]
        for c in d.cooperations:
            refs += [(i.id, c.where) for i in c.involves]
            if c.pilot:
                refs.append((c.pilot, c.where))
        for a in d.agreements:
            refs += [(x, a.where) for x in a.signed_by]
            if a.cooperation:
                refs.append((a.cooperation, a.where))
        for e in d.events:
            refs += [(x, e.where) for x in e.about]
        return refs


def referenced_ids(dataset: Dataset) -> list[str]:
    return [r for r, _ in _Index._refs(dataset)]


class Plan:
    """A dataset that passed every whole-dataset check, ready to become rows.

    Rows are made part by part when they are written: first the places,
    organisations, people and pilots, then the cooperations in chunks of
    :data:`COOPERATION_CHUNK`, then agreements and events. Each part's nodes
    go before its relationships, and every part only refers to nodes that an
    earlier part or the part itself writes, so memory holds one part at a time.
    """

    def __init__(self, dataset: Dataset, index: _Index, chunk: int = COOPERATION_CHUNK) -> None:
        self.dataset = dataset
        self.index = index
        self.chunk = chunk
        self._docs = {d.id: d for d in dataset.documents}

    def items(self) -> int:
        """Items the parts write (documents are written as the sources that cite them)."""
        return self.dataset.size() - len(self.dataset.documents)

    def parts(self) -> Iterator[Part]:
        d = self.dataset
        emitted: set[str] = set()  # Source ids already written by an earlier part
        yield self._part(emitted, sectors=True, programmes=d.programmes, places=d.places,
                         organisations=d.organisations, people=d.people, pilots=d.pilots)
        for start in range(0, len(d.cooperations), self.chunk):
            yield self._part(emitted, cooperations=d.cooperations[start:start + self.chunk])
        if d.agreements or d.events:
            yield self._part(emitted, agreements=d.agreements, events=d.events)

    def _part(self, emitted: set[str], *, sectors: bool = False, programmes=(), places=(), organisations=(),
              people=(), pilots=(), cooperations=(), agreements=(), events=()) -> Part:
        index = self.index
        p = Part()
        docs = self._docs
        sources: dict[str, dict] = {}

        def cite(node_label: str, node_id: str, refs: list[SourceRef], **locator: Any) -> list[str]:
            ids = []
            for ref in refs:
                if ref.id not in emitted:
                    doc = docs.get(ref.document)
                    row = sources.setdefault(ref.id, {"id": ref.id, "props": _props(
                        document=ref.document, title=doc.title if doc else None, file=doc.file if doc else None,
                        lines=ref.id.rsplit(":", 1)[1], line_start=ref.line_start, line_end=ref.line_end)})
                    for key, value in locator.items():
                        if value is not None:
                            row["props"].setdefault(key, value)
                p.rels[(V.CITED_IN, node_label, V.SOURCE)].append({"a": node_id, "b": ref.id, "props": {}})
                ids.append(ref.id)
            return ids

        def rel(rel_type: str, a: str, b: str, props: dict, key: Any = None) -> None:
            row = {"a": a, "b": b, "props": props}
            if key is not None:
                row["key"] = key
            p.rels[(rel_type, index.label[a], index.label[b])].append(row)

        if sectors:
            for s_id, s_name in V.SECTORS.items():
                p.nodes[(V.SECTOR, None)].append({"id": s_id, "props": {"name": s_name}})
        for d in programmes:
            p.nodes[(V.PROGRAMME, None)].append({"id": d.id, "props": _props(
                name=d.name.value, pilots_total=d.pilots_total, mous_signed=d.mous_signed)})
            cite(V.PROGRAMME, d.id, d.sources)
        for pl in places:
            p.nodes[(V.PLACE, pl.kind)].append({"id": pl.id, "props": _props(
                name=pl.name, kind=pl.kind, country=pl.country, bloc=index.bloc[pl.id], aliases=pl.aliases)})
            if pl.part_of:
                rel(V.PART_OF, pl.id, pl.part_of, {})
            cite(V.PLACE, pl.id, pl.sources)
        for o in organisations:
            p.nodes[(V.ORGANISATION, o.kind)].append({"id": o.id, "props": _props(
                name=o.name, kind=o.kind, bloc=index.bloc[o.id], aliases=o.aliases)})
            rel(V.LOCATED_IN, o.id, o.located_in, {})
            cite(V.ORGANISATION, o.id, o.sources)
        for person in people:
            p.nodes[(V.PERSON, None)].append({"id": person.id, "props": _props(name=person.name, role=person.role)})
            cite(V.PERSON, person.id, person.sources)
            if person.organisation:
                rel(V.WORKS_FOR, person.id, person.organisation, {})
        for pilot in pilots:
            p.nodes[(V.PILOT_PROJECT, None)].append({"id": pilot.id, "props": _props(
                name=pilot.name, programme=pilot.programme.value, number=pilot.number)})
            src = cite(V.PILOT_PROJECT, pilot.id, pilot.sources, pilot=pilot.id)
            for side, ends in (("Europe", pilot.europe), ("Asia", pilot.asia)):
                for place in ends:
                    rel(V.HAS_PARTNER, pilot.id, place, _props(side=side, sources=src), key=side)
            programme = V.slugify(pilot.programme.value)
            if index.label.get(programme) == V.PROGRAMME:
                rel(V.IN_PROGRAMME, pilot.id, programme, {})
        for c in cooperations:
            p.nodes[(V.COOPERATION, None)].append({"id": c.id, "props": _props(
                title=c.title, summary=c.summary, channel=c.channel.value, status=c.status.value, date=c.date,
                issue=c.issue, issue_title=c.issue_title, bullet=c.bullet, sectors=c.sectors, pilot=c.pilot)})
            src = cite(V.COOPERATION, c.id, c.sources, pilot=c.pilot, issue=c.issue, bullet=c.bullet)
            if c.pilot:
                rel(V.UNDER, c.id, c.pilot, _props(sources=src))
            for s in c.sectors:
                rel(V.IN_SECTOR, c.id, s, _props(sources=src))
            partners = []
            for inv in c.involves:
                rel(V.INVOLVES, c.id, inv.id, _props(role=inv.role, sources=src))
                if inv.role in PARTNER_ROLES and index.label[inv.id] in (V.PLACE, V.ORGANISATION):
                    partners.append(inv.id)
            partners = list(dict.fromkeys(partners))  # one shortcut per pair, however often a party is named
            europe = [x for x in partners if index.bloc.get(x) == V.Bloc.EUROPE.value]
            others = [x for x in partners if index.bloc.get(x, V.Bloc.OTHER.value) != V.Bloc.EUROPE.value]
            for a in europe:
                for b in others:
                    rel(V.COOPERATES_WITH, a, b, _props(channel=c.channel.value, sector=(c.sectors or [None])[0],
                                                        sectors=c.sectors, cooperation=c.id, sources=src), key=c.id)
        for a in agreements:
            p.nodes[(V.AGREEMENT, None)].append({"id": a.id, "props": _props(
                title=a.title, status=a.status.value, date=a.date)})
            src = cite(V.AGREEMENT, a.id, a.sources)
            for party in a.signed_by:
                rel(V.SIGNED_BY, a.id, party, _props(sources=src))
            if a.cooperation:
                rel(V.CONCERNS, a.id, a.cooperation, _props(sources=src))
        for e in events:
            p.nodes[(V.EVENT, None)].append({"id": e.id, "props": _props(name=e.name, kind=e.kind, date=e.date)})
            src = cite(V.EVENT, e.id, e.sources)
            for target in e.about:
                rel(V.ABOUT, e.id, target, _props(sources=src))
        p.nodes[(V.SOURCE, None)].extend(sources.values())
        emitted.update(sources)
        p.items = sum(map(len, (programmes, places, organisations, people, pilots, cooperations, agreements, events)))
        return p


@without_cyclic_gc
def plan(dataset: Dataset, store: Store | None = None, *, chunk: int = COOPERATION_CHUNK) -> Plan:
    """Check the dataset as a whole (duplicates, references, kinds); writes nothing."""
    _dedupe(dataset)
    return Plan(dataset, _Index(dataset, store), chunk)


def write_dataset(store: Store, dataset: Dataset, *, batch_size: int = 1000,
                  progress: Callable[[int, int], None] | None = None) -> LoadReport:
    """Check, then write ``dataset``; ``progress(done, total)`` in items after each part."""
    return write_plan(store, plan(dataset, store), dataset, batch_size=batch_size, progress=progress)


def _part_progress(progress: Callable[[int, int], None] | None, before: int, total: int,
                   part: Part) -> Callable[[int], None]:
    """Rows written in ``part`` as items done: its items in proportion to its rows."""
    rows, written = part.rows() or 1, 0

    def tick(n: int) -> None:
        nonlocal written
        written += n
        if progress:
            progress(before + part.items * written // rows, total)

    return tick


@without_cyclic_gc
def write_plan(store: Store, the_plan: Plan, dataset: Dataset, *, batch_size: int = 1000,
               progress: Callable[[int, int], None] | None = None) -> LoadReport:
    """Write a checked plan: constraints first, then part by part, nodes before relationships.

    Batches go out in order on a :class:`~citygraph.loaders.sender.Sender` thread while the next part's
    rows are made, so Python and the database work at the same time.
    """
    report = LoadReport(rows=0, counters={})
    report.items = {name: len(getattr(dataset, name)) for name in
                    ("places", "organisations", "people", "pilots", "cooperations", "agreements", "events")}
    store.ensure_schema(SCHEMA_KEYS)
    total, done = the_plan.items(), 0
    with Sender(store) as sender:
        for part in the_plan.parts():
            tick = _part_progress(progress, done, total, part)
            before = sender.pending
            for statement, rows in part.statements(store.serial_writes):
                for start in range(0, len(rows), batch_size):
                    chunk = rows[start:start + batch_size]
                    n = row_count(chunk)
                    sender.send(statement, chunk, lambda _, n=n, tick=tick: tick(n))
                    report.rows += n
            # The previous part must be written before the next is made: two parts in memory at most.
            sender.drain(keep=sender.pending - before)
            done += part.items
        report.counters = sender.close()
    if progress:
        progress(total, total)
    return report
