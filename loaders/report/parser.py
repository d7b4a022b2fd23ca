"""The report parser: a report's blocks into a Dataset.

:mod:`citygraph.loaders.documents` reads the container into blocks and
:mod:`citygraph.loaders.report.scan` finds its shape (pilot pairings, their
items, the programme prose); here each item is interpreted: the parties it
names, linked through the gazetteer (names that look like parties but resolve
to nothing are reported with file and line, never dropped silently), its
channel, sectors, status and date, the agreements and events it states, and
the organisations recognised by the form of their names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from citygraph.core.errors import InputError
from citygraph.loaders.dataset.model import (
    Agreement,
    Cooperation,
    Dataset,
    Document,
    Event,
    Organisation,
    Pilot,
    Place,
    ProgrammeItem,
    SourceRef,
    Unresolved,
    without_contact,
)
from citygraph.loaders.documents import Block, Locator, read_document
from citygraph.loaders.report.channels import channel_of
from citygraph.loaders.report.drafts import ItemBlock, PilotDraft, clean
from citygraph.loaders.report.happenings import MONTHS, Happening, date_range_in, happenings, sentences, status_of
from citygraph.loaders.report.identity import KnownDocument, content_hash, known_document, reviewed
from citygraph.loaders.report.names import Names
from citygraph.loaders.report.pairing import Party
from citygraph.loaders.report.pairings import GraphPlaces, Pairings
from citygraph.loaders.report.programmes import figures
from citygraph.loaders.report.scan import Scanner
from citygraph.loaders.resolve.gazetteer import Gazetteer, Match
from citygraph.loaders.resolve.places import town_fields
from citygraph.model.vocabulary import Channel, slugify
from citygraph.store.texts import DocumentText, Line

DATE = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?(?:/\w+)?\s+(\d{4})\b", re.IGNORECASE
)
# Sector cues: every sector whose cue matches is named.
SECTOR_CUES: dict[str, str] = {
    "smart-city": r"smart[- ]?cit|smart districts?",
    "green-technology": r"green|environmental tech|cleantech|low carbon",
    "health-biotech": r"biotech|health|medical",
    "tourism": r"touris|travel service|travell?ers",
    "ports-logistics": r"\bports?\b|cargo|cruise|logistic",
    "aerospace": r"aerospace|aeronautic|airport",
    "automotive-industry": r"automotive|industr|robot|vehicle",
    "education-research": r"universit|research|academic|education|training|school",
    "waste": r"\bwaste\b",
    "water-sewage": r"sewage|effluent|wastewater|\bwater\b|\bwaters\b",  # not "waterfront"
    "energy-efficiency": r"energy|heating|cooling|lighting",
    "urban-development": r"urban|brownfield|development plan|buildings|reclamation|technology park",
    "climate": r"climate",
    "mobility": r"mobility|transport|e-cars?|cycling|pedestrian|driverless",
    "culture-film": r"movie|film|cultur|heritage",
    "ict": r"\bict\b|big-data|big data|software|\bit smes\b|digital|apps|information system|database",
    "trade": r"trade|b2b|business|market",
}


@dataclass(frozen=True)
class Cites:
    """What a finding cites: an item's (or a programme paragraph's) lines, and the cooperation it is about."""

    sources: list[SourceRef]
    where: str
    about: str | None


@dataclass
class ParsedReport:
    dataset: Dataset
    unresolved: list[Unresolved]
    pilots: list[PilotDraft]
    extracted: list[str] = field(default_factory=list)  # "file:line: name (kind)" of each extracted organisation
    text: DocumentText | None = None  # the blocks as read, kept so that a cited line can be shown


def document_text(path: Path, sha256: str, blocks: list[Block]) -> DocumentText:
    """The report's blocks as :mod:`citygraph.store.texts` keeps them: e-mail addresses and phone numbers
    blanked, as nothing of them goes into the graph either."""
    return DocumentText(sha256, path.name, [Line(b.line, b.locator, without_contact(b.text))
                                                        for b in blocks if b.text.strip()])


def title_of(text: str, limit: int = 100) -> str:
    text = clean(text)
    first = re.split(r"(?<=[a-z)])\.\s", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def classify_sectors(text: str) -> list[str]:
    low = text.lower()
    return [sector for sector, cue in SECTOR_CUES.items() if re.search(cue, low)]


def date_of(text: str) -> str | None:
    m = DATE.search(text)
    return f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}" if m else None


class _Parser:
    """Interprets what the scanner found: each pilot's items, the programme prose, the organisations named."""

    def __init__(self, path: Path, gazetteer: Gazetteer, scanned: Scanner, sha256: str,
                 known: KnownDocument | None = None) -> None:
        self.path = path
        self.sha256 = sha256  # the file's content hash, read once
        self.gaz = gazetteer
        self.known = known
        self.doc = known.document.id if known else slugify(path.stem) or "report"
        self.pilots = scanned.pilots
        self.programme_lines = scanned.programme_lines
        self.unresolved = scanned.pairings.unresolved
        self.world_towns = scanned.pairings.world_towns
        self.where = scanned.pairings.where
        self.named = Names(path, gazetteer, self.unresolved, self.world_towns, self.where)
        self.used: dict[str, int] = {}  # cooperation ids made from lines, and how many each line has

    def _same_lines(self, section: str, start: int, end: int) -> str | None:
        """The id the known document's fact on these lines has (:mod:`citygraph.loaders.report.identity`)."""
        return self.known.same_lines(section, start, end) if self.known else None

    def _happenings(self, d: Dataset, coop: Cooperation, draft: PilotDraft, block: ItemBlock) -> None:
        """The agreements and events an item states (:mod:`citygraph.loaders.report.happenings`), citing its lines."""
        fallback = draft.europe + draft.partner
        cites = Cites(coop.sources, coop.where, coop.id)
        for k, h in enumerate(happenings(sentences([clean(t) for _, t in block.lines])), start=1):
            self._happening(d, h, f"{coop.id}-{h.what[0]}{k}", cites, fallback)

    def _programme_happenings(self, d: Dataset) -> None:
        """Agreements and events the programme paragraphs state; an agreement only with the parties it names."""
        for lines in _paragraphs(self.programme_lines):
            ref = SourceRef(document=self.doc, line_start=lines[0][0], line_end=lines[-1][0])
            cites = Cites([ref], self.where(lines[0][0]), None)
            for h in happenings(sentences([clean(t) for _, t in lines])):
                self._happening(d, h, f"{h.kind}-{slugify(title_of(h.sentence))[:70]}", cites, [])

    def _happening(self, d: Dataset, h: Happening, fact_id: str, cites: Cites, fallback: list[str]) -> None:
        """One agreement (its parties: those its sentence names, else ``fallback``) or event."""
        title = title_of(h.sentence)
        if not title:
            return  # punctuation only: nothing to name it by
        start, end = cites.sources[0].line_start, cites.sources[0].line_end
        common = {"sources": cites.sources, "where": cites.where, "date": h.date}
        if h.what == "agreement":
            named = self.named.parties(h.sentence)
            if named or fallback:
                d.agreements.append(Agreement(
                    id=self._same_lines("agreements", start, end) or fact_id, title=title, status=h.kind,
                    signed_by=named or fallback, cooperation=cites.about, **common,
                    review=None if named else "its sentence names no party: the pilot's partners are assumed"))
            return
        span = date_range_in(h.sentence)
        d.events.append(Event(id=self._same_lines("events", start, end) or fact_id, name=title, kind=h.kind,
                              about=[cites.about] if cites.about else [], date_end=span[1] if span else None,
                              **common))

    def _channel(self, issue_title: str | None, block: ItemBlock, matches: list[Match], orgs: list[str]) -> Channel:
        """The item's channel (:mod:`citygraph.loaders.report.channels`), its issue title read with it."""
        kinds = [m.entity.kind for m in matches if m.entity.label == "Organisation"]
        kinds += [self.named.extracted[o].kind for o in orgs if o in self.named.extracted]
        spans = [m.text for m in matches]
        text = f"{issue_title or ''} {block.text}"
        return channel_of(text, kinds, [(i.start(), i.end()) for t in spans for i in re.finditer(re.escape(t), text)])

    # -- output ------------------------------------------------------------
    def dataset(self) -> Dataset:
        d = Dataset()
        d.documents.append(self.known.document.model_copy(update={"where": str(self.path)}) if self.known else
                           Document(id=self.doc, title=self.path.stem, file=self.path.name, where=str(self.path),
                                    sha256=self.sha256))
        for party in {p.id: p for p in self.world_towns}.values():
            d.places.append(self._defined(party))
        for draft in self.pilots:
            draft.id = self._same_lines("pilots", draft.line, draft.line) or draft.id
            self.named.names([(draft.line, draft.heading)])  # reports what looks like a party and is not one
            d.pilots.append(Pilot(id=draft.id, programme=draft.programme, number=draft.number,
                                  name=draft.heading, europe=draft.europe, partner=draft.partner,
                                  partner_country=draft.bloc,
                                  sources=[f"{self.doc}:{draft.line}"], where=self.where(draft.line)))
            counters: dict[tuple[int | None, str], int] = {}
            for issue, issue_title, block in draft.blocks:
                letter = {"bullet": "b", "next": "n", "paragraph": "p", "row": "r", "sentence": "s"}[block.kind]
                counters[(issue, letter)] = n = counters.get((issue, letter), 0) + 1
                coop = self._item(draft, issue, issue_title, block, n)
                d.cooperations.append(coop)
                self._happenings(d, coop, draft, block)
        self._programme_happenings(d)
        d.agreements.rewrite(merge_planned(d.agreements))
        d.programmes.extend(self._programmes())
        d.organisations.extend(
            Organisation(id=org_id, name=o.name, kind=o.kind, located_in=o.located_in or self.pilots[0].europe[0],
                         aliases=[o.acronym] if o.acronym else [], sources=[f"{self.doc}:{o.line}"],
                         where=self.where(o.line),
                         review=f"not in the gazetteer: kind {o.kind} guessed from the name, place guessed")
            for org_id, o in self.named.extracted.items())
        return d

    def _new_id(self, line: int) -> str:
        """A cooperation's id from its line; a second one on the line (a sentence of several pairs) is numbered."""
        base = f"{self.doc}-l{line}"
        n = self.used.get(base, 0) + 1
        self.used[base] = n
        return base if n == 1 else f"{base}-{n}"

    def _defined(self, party: Party) -> Place:
        """A pairing's place this report defines: a world town (to check), or one kept as written."""
        if party.fields is not None:
            return Place(**{"review": None, **party.fields}, where=str(self.path))
        assert party.town is not None
        place = Place(**town_fields(party.town, party.town.name), where=str(self.path))
        place.review = (f"found in the world gazetteer as {place.name} ({place.country}): check it is the "
                        "place the report means")
        return place

    def _item(self, draft: PilotDraft, issue: int | None, issue_title: str | None, block: ItemBlock,
              n: int) -> Cooperation:
        """One bullet, Next Step or paragraph as a cooperation: who it names, its channel, sectors, date."""
        text = block.text
        matches, orgs = self.named.names(block.lines)
        matches += self.named.named_in_heading(issue_title)
        towns = self.named.towns_named(text)
        self.named.locate(orgs, [m.entity.place for m in matches if m.entity.place] + towns, draft)
        lines = f"{block.line_start}" + (f"-{block.line_end}" if block.line_end != block.line_start else "")
        return Cooperation(
            id=self._same_lines("cooperations", block.line_start, block.line_end) or self._new_id(block.line_start),
            pilot=draft.id,
            issue=issue,
            issue_title=issue_title,
            bullet=n if block.kind == "bullet" else None,
            title=title_of(text) or f"{draft.heading} item {n}",
            summary=clean(text)[:2000] or None,
            channel=self._channel(issue_title, block, matches, orgs),
            sectors=classify_sectors(f"{issue_title or ''} {text}"),
            status=status_of(text, next_step=block.kind == "next"),
            date=block.date or date_of(text),
            involves=list(dict.fromkeys(([*draft.europe, *draft.partner] if block.kind in ("row", "sentence") else [])
                                        + [m.entity.id for m in matches] + orgs + towns)),
            sources=[f"{self.doc}:{lines}"],
            where=self.where(block.line_start),
        )


    def _programmes(self) -> list[ProgrammeItem]:
        """Programme figures from the prose between pilots (:mod:`citygraph.loaders.report.programmes`)."""
        return figures(_paragraphs(self.programme_lines), [(p.line, p.programme) for p in self.pilots], self.doc,
                       str(self.path))


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Runs of consecutive numbered lines: the paragraphs of a text."""
    out: list[list[tuple[int, str]]] = []
    for number, text in lines:
        if out and out[-1][-1][0] == number - 1:
            out[-1].append((number, text))
        else:
            out.append([(number, text)])
    return out


def merge_planned(agreements: Iterable[Agreement]) -> list[Agreement]:
    """One agreement for a planned MoU a report mentions more than once: agreements not signed whose parties
    overlap (directly or through another) merge, keeping the most advanced status and every source and party."""
    rank = {"intended": 0, "in_preparation": 1}
    out: list[Agreement] = []
    for a in agreements:
        same = [b for b in out if a.status.value in rank and b.status.value in rank
                and set(a.signed_by) & set(b.signed_by)]
        if not same:
            out.append(a)
            continue
        keep = same[0]
        for other in [*same[1:], a]:
            if rank[other.status.value] > rank[keep.status.value]:
                keep.status = other.status
            keep.signed_by = list(dict.fromkeys(keep.signed_by + other.signed_by))
            keep.sources = list({r.id: r for r in keep.sources + other.sources}.values())
            if other is not a:
                out.remove(other)
    return out


def parse_report(path: Path, gazetteer: Gazetteer, known: Dataset | None = None,
                 graph: GraphPlaces | None = None) -> ParsedReport:
    """Parse one report; an InputError (with file and line) if it is not a report of this kind. A report
    whose content hash is a document of ``known`` keeps the ids that dataset gives its facts; ``graph(name)``
    is a place the graph already holds by that name (asked when the gazetteers do not know a pairing's)."""
    blocks = read_document(path)
    where = Locator(path, blocks)
    scanner = Scanner(Pairings(path, gazetteer, graph, where))
    for block in blocks:
        scanner.feed_block(block)
    scanner.flush()
    if not scanner.pilots:
        raise _no_pilot(path, blocks, scanner.pairings.unresolved)
    sha256 = content_hash(path)
    parser = _Parser(path, gazetteer, scanner, sha256, known_document(sha256, known) if known else None)
    try:
        dataset = parser.dataset()
    except ValidationError as e:  # a limit no check above caught: the report's fault, said as one
        first = e.errors()[0]
        raise InputError(f"a fact read from this report breaks the model's limits "
                         f"({'.'.join(map(str, first['loc']))}: {first['msg']})", str(path)) from None
    if parser.known:
        dataset = reviewed(dataset, parser.known)
    extracted = [f"{parser.where(o.line)}: {o.name} ({o.kind})" for o in parser.named.extracted.values()]
    return ParsedReport(dataset, parser.unresolved, parser.pilots, extracted, document_text(path, sha256, blocks))


def _no_pilot(path: Path, blocks: list[Block], unresolved: list[Unresolved]) -> InputError:
    """The error of a report in which no pairing was read: the pairings that could not be, else its first line."""
    unread = "; ".join(u.text for u in unresolved if u.text.startswith("pairing "))
    first = next((b.line for b in blocks if b.text.strip()), 1)
    return InputError(
        (f"{unread}. " if unread else "") + "No pilot pairing was read: expected a numbered line naming a "
        "European and a partner place, such as '1. Barcelona – Wuhan / Chengdu' or '1) Chandigarh "
        "(cooperation mainly with Copenhagen)'",
        next((u.where for u in unresolved if u.text.startswith("pairing ")), f"{path}:{first}"),
    )
