"""Planning a load: whole-dataset checks, then rows grouped by statement shape.

A :class:`~citygraph.loaders.dataset.model.Dataset` is checked as a whole first
(duplicates, dangling references, ids shared across kinds); only a dataset
that passes becomes a :class:`Plan`, whose parts are made one at a time as
the writer asks for them. Nothing here talks to the store except the one
read that resolves references to ids already in the graph.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from citygraph.core.errors import InputError
from citygraph.loaders.dataset.compact import Items
from citygraph.loaders.dataset.model import (
    Agreement,
    Cooperation,
    Dataset,
    Event,
    Item,
    Organisation,
    Person,
    Pilot,
    Place,
    ProgrammeItem,
    SourceRef,
    file_of,
    source_id,
)
from citygraph.loaders.runtime.gcpause import without_cyclic_gc
from citygraph.model import vocabulary as V
from citygraph.model.statements import GATHERED, cooperation_statement, node_statement, rel_statement
from citygraph.query import catalog
from citygraph.store import Store

log = logging.getLogger(__name__)

#: Roles of an involvement that make the party a cooperating partner (and so
#: an end of the derived COOPERATES_WITH shortcut); others (supporter,
#: funder, adviser) are kept on INVOLVES only.
PARTNER_ROLES = frozenset({"partner", "host", "lead"})

#: Items per part (places, organisations, … cooperations): a load holds one part's rows in memory at a time.
PART_ITEMS = 20_000

#: Sections whose items are written as nodes (documents are written as the sources that cite them).
WRITTEN_SECTIONS = ("places", "organisations", "people", "pilots", "cooperations", "agreements", "events")
#: List fields that a later edition of the same fact extends rather than replaces.
MERGED_LISTS = ("involves", "sectors", "europe", "partner", "signed_by", "about")


def props(**values: Any) -> dict[str, Any]:
    """Properties worth writing: no None and no empty list."""
    return {k: v for k, v in values.items() if v is not None and (v or type(v) is not list)}


# -- whole-dataset checks ---------------------------------------------------------

def _other_edition(a: Item, b: Item) -> bool:
    docs_a = {s.document for s in getattr(a, "sources", [])}
    docs_b = {s.document for s in getattr(b, "sources", [])}
    return bool(docs_a) and bool(docs_b) and not docs_a & docs_b


def _merge_lists(first: Item, item: Item, attrs: Iterable[str]) -> None:
    for attr in attrs:
        if hasattr(first, attr):
            merged = list(getattr(first, attr))
            merged += [x for x in getattr(item, attr) if x not in merged]
            setattr(first, attr, merged)


def _merge_edition(first: Item, item: Item, later: dict[str, Any]) -> None:
    """The same fact in another document (a later edition): one node, the later wording, the parties of both."""
    _merge_lists(first, item, [k for k in later if k in MERGED_LISTS])
    for key, value in later.items():
        if key not in MERGED_LISTS and value is not None:
            setattr(first, key, getattr(item, key))


def dedupe(dataset: Dataset) -> None:
    """One item per id and section; a second definition must agree with the first (or be another edition).
    Only the ids defined more than once are held as models while they are merged."""
    for section in ("documents", "programmes", *WRITTEN_SECTIONS):
        items: Items[Any] = getattr(dataset, section)
        twice = _ids_twice(items)
        if twice:
            merged = _merged(section, items, twice)
            items.rewrite(_once(items, merged))


def _ids_twice(items: Items[Any]) -> set[str]:
    seen: set[str] = set()
    twice: set[str] = set()
    for item_id in items.column("id"):
        (twice if item_id in seen else seen).add(item_id)
    return twice


def _merged(section: str, items: Iterable[Any], ids: set[str]) -> dict[str, Any]:
    """The first definition of each of ``ids``, the later ones merged into it (or an InputError)."""
    seen: dict[str, Any] = {}
    for item in items:
        if item.id not in ids:
            continue
        first = seen.setdefault(item.id, item)
        if first is item:
            continue
        a = first.model_dump(exclude={"sources", "where", "aliases"})
        b = item.model_dump(exclude={"sources", "where", "aliases"})
        _keep_stating_file(first, item)
        if a != b and _other_edition(first, item):
            _merge_edition(first, item, b)
        elif a != b:
            diff = next(k for k in a if a[k] != b.get(k))
            raise InputError(f"{section[:-1]} {item.id!r} is defined again with a different {diff} "
                             f"(first at {first.where})", item.where)
        _merge_lists(first, item, ("sources", "aliases"))
    return seen


def _keep_stating_file(first: Item, item: Item) -> None:
    """The sources of ``item``, about to be merged into ``first`` from another file, remember that file (its
    citations record it, so a ``replace`` of either file retracts what that file stated)."""
    file = file_of(item.where)
    if hasattr(item, "sources") and file != file_of(first.where):
        item.sources = [s if s.file else s.model_copy(update={"file": file}) for s in item.sources]


def _once(items: Iterable[Any], merged: dict[str, Any]) -> Iterator[Any]:
    """``items`` with each merged id once, where it was first defined."""
    done: set[str] = set()
    for item in items:
        if item.id not in merged:
            yield item
        elif item.id not in done:
            done.add(item.id)
            yield merged[item.id]


def references(d: Dataset) -> Iterator[tuple[str, str, bool]]:
    """Every (id referred to, where, whether a party relationship refers to it: a pilot's HAS_PARTNER, a
    cooperation's INVOLVES, an agreement's SIGNED_BY, see statements.PARTY_RELS) in the dataset, section by
    section, read without rebuilding items."""
    yield from ((ref, where, False) for ref, where in d.places.select("part_of", "where") if ref)
    yield from ((ref, where, False) for ref, where in d.organisations.select("located_in", "where"))
    yield from ((ref, where, False) for ref, where in d.people.select("organisation", "where") if ref)
    for europe, partner, where in d.pilots.select("europe", "partner", "where"):
        yield from ((x, where, True) for x in [*europe, *partner])
    for involved, pilot, where in d.cooperations.select("involves.id", "pilot", "where"):
        yield from ((x, where, True) for x in involved)
        if pilot:
            yield pilot, where, False
    for signed_by, cooperation, where in d.agreements.select("signed_by", "cooperation", "where"):
        yield from ((x, where, True) for x in signed_by)
        if cooperation:
            yield cooperation, where, False
    for about, where in d.events.select("about", "where"):
        yield from ((x, where, False) for x in about)


def referenced(d: Dataset) -> tuple[set[str], set[str]]:
    """(every id the dataset refers to, those a party relationship refers to): what :func:`references` yields,
    gathered section by section without a tuple per reference."""
    parties = set(chain.from_iterable(d.pilots.column("europe")))
    parties.update(chain.from_iterable(d.pilots.column("partner")))
    parties.update(chain.from_iterable(d.cooperations.column("involves.id")))
    parties.update(chain.from_iterable(d.agreements.column("signed_by")))
    refs = set(parties)
    for section, name in (("places", "part_of"), ("organisations", "located_in"), ("people", "organisation"),
                          ("cooperations", "pilot"), ("agreements", "cooperation")):
        refs.update(filter(None, getattr(d, section).column(name)))
    refs.update(chain.from_iterable(d.events.column("about")))
    return refs, parties


def first_references(d: Dataset, parties: set[str] | None = None) -> dict[str, str]:
    """Each id referred to, with where it is first referred to (one entry per id, however often it is named);
    ``parties`` gets the ids a party relationship refers to."""
    refs: dict[str, str] = {}
    party_refs = parties if parties is not None else set()
    for ref, where, party in references(d):
        if ref not in refs:
            refs[ref] = where
        if party:
            party_refs.add(ref)
    return refs


class IdTable:
    """Label and bloc of every id the load defines or refers to (looked up in the graph where needed)."""

    def __init__(self, dataset: Dataset, store: Store | None) -> None:
        self.label: dict[str, str] = {}
        self.bloc: dict[str, str] = {}
        #: Ids the load refers to without defining them: found in the graph.
        self.from_graph: set[str] = set()
        self._store = store
        refs, party_refs = referenced(dataset)
        self._places(dataset, refs)
        self._others(dataset)
        wanted = {r for r in refs if r not in self.label}
        wanted |= {V.slugify(p) for p in dataset.pilots.column("programme")} - set(self.label)
        self._from_graph(wanted)
        if any(ref not in self.label for ref in refs):  # where each is first referred to: only for the message
            ref, where = next((r, w) for r, w in first_references(dataset).items() if r not in self.label)
            raise InputError(f"refers to {ref!r}, which is neither in this load nor in the graph", where)
        #: The places this load's party relationships end at, marked ``party`` as they are written, so a graph
        #: built in bulk needs no pass to mark them (the writer's relationship statements mark them too, and
        #: places that were in the graph already).
        self.parties = {x for x in party_refs if self.label[x] == V.PLACE}

    def _places(self, dataset: Dataset, refs: set[str]) -> None:
        """Places first: organisations take the bloc of the place they are located in."""
        for place, bloc, country in dataset.places.select("id", "bloc", "country"):
            self.label[place] = V.PLACE
            self.bloc[place] = bloc or V.bloc_of_country(country)
        orgs = list(dataset.organisations.select("id", "located_in"))  # one pair per organisation
        org_ids = {org for org, _ in orgs}
        missing = {r for r in refs if r not in self.label and r not in org_ids}
        missing |= {x for _, x in orgs if self.label.get(x) != V.PLACE}
        self._from_graph(missing)
        for org, located_in in orgs:
            self.label[org] = V.ORGANISATION
            self.bloc[org] = self.bloc.get(located_in, "")

    def _others(self, dataset: Dataset) -> None:
        self.label.update(dict.fromkeys(V.SECTORS, V.SECTOR))
        for section, lab in (("programmes", V.PROGRAMME), ("people", V.PERSON), ("pilots", V.PILOT_PROJECT),
                             ("cooperations", V.COOPERATION), ("agreements", V.AGREEMENT), ("events", V.EVENT)):
            for item_id, where in getattr(dataset, section).select("id", "where"):
                if item_id in self.label and self.label[item_id] != lab:
                    raise InputError(f"id {item_id!r} is used by a {self.label[item_id]} and a {lab}; references "
                                     "go by id, so ids must differ across kinds", where)
                self.label[item_id] = lab

    def _from_graph(self, ids: set[str]) -> None:
        if not ids or self._store is None:
            return
        for row in catalog.read(self._store, "lookup-ids", {"ids": sorted(ids)}):
            lab = next((lab for lab in row["labels"] if lab in V.NODE_LABELS), None)
            if lab:
                self.label[row["id"]] = lab
                self.from_graph.add(row["id"])
                if row["bloc"]:
                    self.bloc[row["id"]] = row["bloc"]


# -- rows ---------------------------------------------------------------------------

@dataclass
class Part:
    """Rows grouped by statement shape; nodes first, so relationships find both ends."""

    item_count: int = 0
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


class PartBuilder:
    """Makes one part's rows, section by section; sources already written by an earlier part are not repeated."""

    def __init__(self, context: PartContext, emitted: set[str]) -> None:
        self.ids = context  # the label and bloc of every id
        self.documents = context.documents
        self.emitted = emitted
        self.locators = context.locators  # source id -> the pilot, issue and bullet of the fact cited there
        self.part = Part()
        self.sources: dict[str, dict] = {}
        self.file: str | None = None  # the file the item being made was read from: its citations record it

    def node(self, lab: str, node_id: str, values: dict[str, Any], kind: str | None = None) -> None:
        self.part.nodes[(lab, kind)].append({"id": node_id, "props": values})

    def rel(self, rel_type: str, a: str, b: str, values: dict, key: Any = None,
            labels: tuple[str, str] | None = None) -> None:
        """A relationship row; its ``sources`` (and a citation's ``files``) travel beside its properties, to be
        added to what it has. ``labels`` names the ends' labels where the id table does not (a Source is a
        document's id)."""
        row = {"a": a, "b": b, "props": values}
        for gathered in GATHERED:
            listed = values.pop(gathered, None)
            if listed is not None:
                row[gathered] = listed
        if key is not None:
            row["key"] = key
        self.part.rels[(rel_type, *(labels or (self.ids.label[a], self.ids.label[b])))].append(row)

    def cite(self, node_label: str, node_id: str, refs: Sequence[SourceRef], **locator: Any) -> list[str]:
        """CITED_IN from the node to each ref's document (one Source node per document), the locator on the
        relationship: ``source`` (``document:lines``), the lines, the pilot, issue and bullet of the fact
        cited there, and ``files``, the names of the files that stated it; the source ids."""
        ids: list[str] = []
        for ref in refs:
            if ref.document not in self.emitted and ref.document not in self.sources:
                self.sources[ref.document] = {"id": ref.document, "props": self._source_props(ref)}
            ref_id = ref.id
            if ref_id not in ids:
                ids.append(ref_id)
            where = locator or self.locators.get(ref_id, {})
            file = ref.file or self.file
            self.rel(V.CITED_IN, node_id, ref.document, props(
                source=ref_id, lines=ref_id.rsplit(":", 1)[1], line_start=ref.line_start, line_end=ref.line_end,
                files=[file] if file else None, **where), key=ref_id, labels=(node_label, V.SOURCE))
        return ids

    def _source_props(self, ref: SourceRef) -> dict[str, Any]:
        doc = self.documents.get(ref.document)
        return props(document=ref.document, title=doc.title if doc else None, file=doc.file if doc else None,
                     sha256=doc.sha256 if doc else None, edition=doc.edition if doc else None,
                     year=doc.year if doc else None)

    def finish(self, item_count: int) -> Part:
        self.part.nodes[(V.SOURCE, None)].extend(self.sources.values())
        self.emitted.update(self.sources)
        self.part.item_count = item_count
        return self.part

    # -- one method per section ----------------------------------------------------
    def sectors(self) -> None:
        for s_id, s_name in V.SECTORS.items():
            self.node(V.SECTOR, s_id, {"name": s_name})

    def programme(self, d: ProgrammeItem) -> None:
        self.node(V.PROGRAMME, d.id, props(name=d.name, pilots_total=d.pilots_total,
                                           mous_signed=d.mous_signed))
        self.cite(V.PROGRAMME, d.id, d.sources)

    def place(self, pl: Place) -> None:
        self.node(V.PLACE, pl.id, props(name=pl.name, kind=pl.kind, country=pl.country, bloc=self.ids.bloc[pl.id],
                                        aliases=pl.aliases, lat=pl.lat, lon=pl.lon, geonames=pl.geonames,
                                        party=True if pl.id in self.ids.parties else None), kind=pl.kind)
        self.cite(V.PLACE, pl.id, pl.sources)

    def place_within(self, pl: Place) -> None:
        """PART_OF, in a part after every place (a place may be part of one listed after it)."""
        if pl.part_of:
            self.rel(V.PART_OF, pl.id, pl.part_of, {})

    def organisation(self, o: Organisation) -> None:
        self.node(V.ORGANISATION, o.id, props(name=o.name, kind=o.kind, bloc=self.ids.bloc[o.id] or None,
                                              aliases=o.aliases), kind=o.kind)
        self.rel(V.LOCATED_IN, o.id, o.located_in, {})
        self.cite(V.ORGANISATION, o.id, o.sources)

    def person(self, person: Person) -> None:
        self.node(V.PERSON, person.id, props(name=person.name, role=person.role))
        self.cite(V.PERSON, person.id, person.sources)
        if person.organisation:
            self.rel(V.WORKS_FOR, person.id, person.organisation, {})

    def pilot(self, pilot: Pilot) -> None:
        partner_country = pilot.partner_country or next(
            (b for p in pilot.partner if (b := self.ids.bloc.get(p)) and b != "Europe"), None)
        self.node(V.PILOT_PROJECT, pilot.id, props(name=pilot.name, programme=pilot.programme,
                                                   number=pilot.number, partner_country=partner_country))
        src = self.cite(V.PILOT_PROJECT, pilot.id, pilot.sources, pilot=pilot.id)
        for side, ends in (("Europe", pilot.europe), ("Partner", pilot.partner)):
            for place in ends:
                self.rel(V.HAS_PARTNER, pilot.id, place, props(side=side, sources=src), key=side)
        programme = V.slugify(pilot.programme)
        if self.ids.label.get(programme) == V.PROGRAMME:
            self.rel(V.IN_PROGRAMME, pilot.id, programme, {})

    def cooperation(self, c: Cooperation) -> None:
        self.node(V.COOPERATION, c.id, props(
            title=c.title, summary=c.summary, channel=c.channel.value, status=c.status.value, date=c.date,
            issue=c.issue, issue_title=c.issue_title, bullet=c.bullet, sectors=c.sectors, pilot=c.pilot))
        src = self.cite(V.COOPERATION, c.id, c.sources, pilot=c.pilot, issue=c.issue, bullet=c.bullet)
        if c.pilot:
            self.rel(V.UNDER, c.id, c.pilot, props(sources=src))
        for s in c.sectors:
            self.rel(V.IN_SECTOR, c.id, s, props(sources=src))
        for inv in c.involves:
            self.rel(V.INVOLVES, c.id, inv.id, props(role=inv.role, sources=src))
        self.shortcuts(c, src)

    def shortcuts(self, c: Cooperation, src: list[str]) -> None:
        """COOPERATES_WITH between every two partner parties, once per pair (``cross_bloc`` when the blocs differ).

        A European party is always the start of a cross-bloc shortcut; otherwise the smaller id is.
        """
        partners = list(dict.fromkeys(inv.id for inv in c.involves if inv.role in PARTNER_ROLES
                                      and self.ids.label[inv.id] in (V.PLACE, V.ORGANISATION)))
        for i, a in enumerate(partners):
            for b in partners[i + 1:]:
                start, end = _direction(self.ids.bloc, a, b)
                cross = self.ids.bloc.get(a, "") != self.ids.bloc.get(b, "")
                self.rel(V.COOPERATES_WITH, start, end, props(
                    channel=c.channel.value, sector=c.sectors[0] if c.sectors else None, sectors=c.sectors,
                    cooperation=c.id, cross_bloc=cross, sources=src), key=c.id)

    def agreement(self, a: Agreement) -> None:
        self.node(V.AGREEMENT, a.id, props(title=a.title, status=a.status.value, date=a.date))
        src = self.cite(V.AGREEMENT, a.id, a.sources)
        for party in a.signed_by:
            self.rel(V.SIGNED_BY, a.id, party, props(sources=src))
        if a.cooperation:
            self.rel(V.CONCERNS, a.id, a.cooperation, props(sources=src))

    def event(self, e: Event) -> None:
        self.node(V.EVENT, e.id, props(name=e.name, kind=e.kind, date=e.date, date_end=e.date_end))
        src = self.cite(V.EVENT, e.id, e.sources)
        for target in e.about:
            self.rel(V.ABOUT, e.id, target, props(sources=src))


def _direction(bloc: dict[str, str], a: str, b: str) -> tuple[str, str]:
    """A shortcut's start and end: a European party first, across blocs; otherwise the smaller id."""
    a_europe = bloc.get(a) == V.Bloc.EUROPE
    if a_europe != (bloc.get(b) == V.Bloc.EUROPE):
        return (a, b) if a_europe else (b, a)
    return (a, b) if a <= b else (b, a)


#: Dataset section -> the PartBuilder method that writes one of its items.
BUILDERS: dict[str, Callable[[PartBuilder, Any], None]] = {
    "programmes": PartBuilder.programme,
    "places": PartBuilder.place,
    "within": PartBuilder.place_within,
    "organisations": PartBuilder.organisation,
    "people": PartBuilder.person,
    "pilots": PartBuilder.pilot,
    "cooperations": PartBuilder.cooperation,
    "agreements": PartBuilder.agreement,
    "events": PartBuilder.event,
}


class Plan:
    """A dataset that passed every whole-dataset check, ready to become rows.

    Rows are made part by part when they are written: the sectors and
    programmes, then places, organisations, people, pilots and cooperations,
    each in chunks of :data:`PART_ITEMS` (a place's PART_OF waits for
    a part of its own after every place), then agreements and events. Each
    part's nodes go before its relationships, and every part only refers to
    nodes that an earlier part or the part itself writes, so memory holds one
    part at a time.
    """

    def __init__(self, dataset: Dataset, ids: IdTable, chunk: int = PART_ITEMS) -> None:
        self.dataset = dataset
        self.ids = ids
        self.chunk = chunk
        self.context = PartContext(ids.label, ids.bloc, {d.id: d for d in dataset.documents},
                                   fact_locators(dataset), ids.parties)

    def item_count(self) -> int:
        """Items the parts write (documents are written as the sources that cite them)."""
        return sum(len(getattr(self.dataset, s)) for s in ("programmes", *WRITTEN_SECTIONS))

    def named_later(self) -> set[str]:
        """Ids that agreements and events (the last part) name: the only cooperations a part other than
        their own refers to."""
        d = self.dataset
        return {x for x in d.agreements.column("cooperation") if x} | {x for about in d.events.column("about")
                                                                        for x in about}

    def section_counts(self) -> dict[str, int]:
        return {name: len(getattr(self.dataset, name)) for name in WRITTEN_SECTIONS}

    def parts(self) -> Iterator[Part]:
        emitted: set[str] = set()  # documents whose Source node an earlier part wrote
        for recipe in self.recipes():
            yield self.context.make(recipe, emitted)

    def recipes(self) -> Iterator[Recipe]:
        """What each part is made of, in writing order (see the class's text)."""
        d = self.dataset
        yield Recipe({"programmes": d.programmes}, len(d.programmes), sectors=True)
        for piece in d.places.pieces(self.chunk):
            yield Recipe({"places": piece}, len(piece))
        if any(d.places.column("part_of")):
            yield Recipe({"within": d.places}, 0)
        for section in ("organisations", "people", "pilots", "cooperations"):
            items: Items[Any] = getattr(d, section)
            for piece in items.pieces(self.chunk):
                yield Recipe({section: piece}, len(piece))
        if d.agreements or d.events:
            yield Recipe({"agreements": d.agreements, "events": d.events}, len(d.agreements) + len(d.events))


@dataclass
class Recipe:
    """The items of one part, by section (``within``: the places whose PART_OF it writes), and how many
    items it counts for; it pickles compact (packed chunks), so a part can be made in another process."""

    sections: dict[str, Sequence[Any]]
    item_count: int
    sectors: bool = False


@dataclass
class PartContext:
    """What making a part reads besides its items: the label and bloc of every id, the documents, the
    facts' locators. Plain dictionaries: it is pickled once for each process that makes parts."""

    label: dict[str, str]
    bloc: dict[str, str]
    documents: dict[str, Any]
    locators: dict[str, dict[str, Any]]
    parties: set[str] = field(default_factory=set)  # places written with their ``party`` mark

    def make(self, recipe: Recipe, emitted: set[str]) -> Part:
        """A recipe's rows; ``emitted``: documents whose Source node an earlier part wrote (updated)."""
        builder = PartBuilder(self, emitted)
        if recipe.sectors:
            builder.sectors()
        for section, items in recipe.sections.items():
            write: Callable[[PartBuilder, Any], None] = BUILDERS[section]
            for item in items:
                builder.file = file_of(getattr(item, "where", ""))
                write(builder, item)
        part = builder.finish(recipe.item_count)
        log.debug("part: %d items, %d rows", part.item_count, part.rows())
        return part


def fact_locators(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """For the sources that items other than pilots and cooperations cite (places, organisations, people,
    programmes, agreements, events): the pilot, issue and bullet of the pilot or cooperation that cites the
    same lines, so their provenance names where in the report they are. Sources are read as their
    (document, first line, last line), without making the refs."""
    cited = ("sources.document", "sources.line_start", "sources.line_end")
    wanted = {key for section in ("places", "organisations", "people", "programmes", "agreements", "events")
              for lines in getattr(dataset, section).select(*cited) for key in zip(*lines, strict=True)}
    found: dict[str, dict[str, Any]] = {}
    if not wanted:
        return found
    for pilot_id, *lines in dataset.pilots.select("id", *cited):
        for key in _wanted_lines(wanted, lines):
            found.setdefault(source_id(*key), {"pilot": pilot_id})
    for pilot, issue, bullet, *lines in dataset.cooperations.select("pilot", "issue", "bullet", *cited):
        for key in _wanted_lines(wanted, lines):
            found.setdefault(source_id(*key), props(pilot=pilot, issue=issue, bullet=bullet))
    return found


def _wanted_lines(wanted: set[tuple[str, int, int]], lines: list[list[Any]]) -> list[tuple[str, int, int]]:
    """The (document, first line, last line) of one item's sources that are in ``wanted``."""
    return [key for key in zip(*lines, strict=True) if key in wanted]


@without_cyclic_gc
def plan(dataset: Dataset, store: Store | None = None, *, chunk: int = PART_ITEMS) -> Plan:
    """Check the dataset as a whole (duplicates, references, kinds); writes nothing."""
    dedupe(dataset)
    return Plan(dataset, IdTable(dataset, store), chunk)
