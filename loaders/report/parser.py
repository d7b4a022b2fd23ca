"""The report parser: pilot-project reports (plain text) into a Dataset.

It recognises numbered pairings (``1. West Midlands – Guangzhou / Tianjin``,
``1) Chandigarh (cooperation mainly with …)``), issue headings
(``Issue 1: …``, ``Issue 1 – …``), bullets and sub-bullets (any common
bullet character, any indentation), ``Next Step:`` lines, pilot intro
paragraphs and programme paragraphs; CRLF, tabs and odd spacing are fine.
Names are linked through the gazetteer; names that look like parties but
resolve to nothing are reported with file and line, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from citygraph.core.errors import InputError
from citygraph.loaders.dataset.model import (
    CONTROL,
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
)
from citygraph.loaders.formats.tabular import read_text
from citygraph.loaders.report.channels import channel_of
from citygraph.loaders.report.happenings import MONTHS, Happening, date_range_in, happenings, sentences, status_of
from citygraph.loaders.report.identity import KnownDocument, content_hash, known_document, pilot_id, reviewed
from citygraph.loaders.report.orgnames import acronym_after, conjunctions, kind_of, listed_companies
from citygraph.loaders.report.pairing import Party, resolve, sides
from citygraph.loaders.report.programmes import figures, named_programme
from citygraph.loaders.resolve.gazetteer import Gazetteer, Match, fold
from citygraph.loaders.resolve.places import town_fields
from citygraph.loaders.resolve.world import world
from citygraph.model.vocabulary import Bloc, Channel, slugify

MAX_REPORT_BYTES = 16 * 1024 * 1024
#: Most lines one report may have (the World Cities reports have under 200).
MAX_REPORT_LINES = 100_000

#: "1. A – B", "1) A", "Pilot 1: A – B", "Pilot project 2 – A / B".
PILOT = re.compile(r"^(?:pilot(?:\s+project)?\s+)?(\d{1,3})\s*(?:[.)]|(?<=\d)\s*[:–—-])\s+(\S.*)$", re.IGNORECASE)
ISSUE = re.compile(r"^issue\s*(\d+)\s*[:.–—-]?\s*(.*)$", re.IGNORECASE)
BULLET = re.compile(r"^([•·●○◦▪▫■□‣⁃∙*–—-]|o(?=\s))\s*(.*)$")
NEXT = re.compile(r"^next\s*steps?\s*:\s*(.*)$", re.IGNORECASE)
URL = re.compile(r"\(?\s*(?:https?://|www\.)\S*\)?")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"\+?\d[\d ()./-]{7,}\d")
DATE = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?(?:/\w+)?\s+(\d{4})\b", re.IGNORECASE
)
ORG_WORD = (
    r"(?:Universit(?:y|ies)|Clusters?|Port|Bureau|Agency|Association|Council|Commission|Fund|Chambers?|"
    r"School|Institute|Cent(?:re|er)|Embassy|Zone|District|Studios|Campus|Corporation|Authority|"
    r"Department|Unit|Hub|Administration|Plants?|Ministry|Company|Companies|Government)"
)
CAP = r"[A-Z][\w'’&.]*(?:-[\w'’&.]+)*"
PHRASE = re.compile(rf"{CAP}(?:\s+(?:(?:of|and|de|for|the|&)\s+)?{CAP})*")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{2,}$")
#: A place named for comparison is no party ("Similar to Chandigarh, ENEA offered …").
COMPARED = re.compile(
    r"(\b(?:[Ss]imilar(?:ly)? to|[Aa]s in|[Aa]s with|[Ll]ike in)\s+)([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
#: A leading article is not part of a name ("the Port of Rosario").
ARTICLE = re.compile(r"^(?:the|la|el|le|les|der|die|das|il|lo)\s+", re.IGNORECASE)

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
    "water-sewage": r"sewage|water|effluent",
    "energy-efficiency": r"energy|heating|cooling|lighting",
    "urban-development": r"urban|brownfield|development plan|buildings|reclamation|technology park",
    "climate": r"climate",
    "mobility": r"mobility|transport|e-cars?|cycling|pedestrian|driverless",
    "culture-film": r"movie|film|cultur|heritage",
    "ict": r"\bict\b|big-data|big data|software|\bit smes\b|digital|apps|information system|database",
    "trade": r"trade|b2b|business|market",
}


@dataclass
class Block:
    kind: str  # bullet | next | paragraph
    line_start: int
    line_end: int
    indent: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.lines)


@dataclass
class PilotDraft:
    number: int
    line: int
    heading: str
    europe: list[str]
    asia: list[str]
    bloc: str
    blocks: list[tuple[int | None, str | None, Block]] = field(default_factory=list)
    id: str = ""  # from its partners, or the known document's pilot on the same line (see identity)
    programme: str = ""  # as the report names it before the pilot ("EU–Latin America"), else EU-<partner bloc>

    def __post_init__(self) -> None:
        self.id = self.id or pilot_id(self.europe, self.asia)
        self.programme = self.programme or f"EU-{self.bloc}"


@dataclass
class ExtractedOrg:
    """An organisation recognised by the form of its name: its kind is a guess, its place found or guessed."""

    name: str
    kind: str
    acronym: str | None
    line: int
    located_in: str | None = None


#: A place the graph holds by a name, as a pairing's party; None when it holds none.
GraphPlaces = Callable[[str], Party | None]


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


def clean(text: str) -> str:
    text = EMAIL.sub("", URL.sub("", text))
    text = PHONE.sub(lambda m: m.group(0) if re.fullmatch(r"\d{4}([-/]\d{4})?", m.group(0).strip()) else "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:–-")


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
    def __init__(self, path: Path, gazetteer: Gazetteer, known: KnownDocument | None = None,
                 graph: GraphPlaces | None = None) -> None:
        self.path = path
        self.graph: GraphPlaces = graph or (lambda _: None)
        self.gaz = gazetteer
        self.known = known
        self.doc = known.document.id if known else slugify(path.stem) or "report"
        self.pilots: list[PilotDraft] = []
        self.pilot: PilotDraft | None = None
        self.issue: int | None = None
        self.issue_title: str | None = None
        self.block: Block | None = None
        self.programme_lines: list[tuple[int, str]] = []
        self.programme = ""  # the programme the prose before the next pilot names, if any
        self.programme_line = 0  # where it was named
        self.unresolved: list[Unresolved] = []
        self.world_towns: list[Party] = []  # pairing places only the world gazetteer knew
        self.extracted: dict[str, ExtractedOrg] = {}  # organisations recognised by their names' form
        self.skipping = False  # under a pairing that could not be read

    # -- structure ---------------------------------------------------------
    def heading(self, number: int, text: str, line: int) -> PilotDraft | None:
        """A pilot for a numbered line that pairs European and partner places, else None."""
        europe: list[Party] = []
        asia: list[Party] = []
        for m in self.gaz.find(text):
            place = self.gaz.place_of(m.entity.id)
            if place is None or self.gaz.entities[place].kind == "Country":
                continue
            (europe if m.entity.bloc == Bloc.EUROPE else asia).append(Party(place, m.entity.bloc))
        if not europe or not asia:
            shape = sides(text)
            if shape is None:
                return None
            found = resolve(*shape, world(), self._known)
            if found.unknown or not found.europe or not found.partners:
                self.unresolved.append(Unresolved(f"{self.path}:{line}", (
                    f"pairing {clean(text)!r} not read: no place called {', '.join(found.unknown)} was found "
                    "(add it with --gazetteer FILE.yaml); the lines under it were skipped")))
                self.skipping = True
                return None
            europe, asia = found.europe, found.partners
            self.world_towns.extend(p for p in europe + asia if p.town is not None)
        blocs = [p.bloc for p in asia]
        bloc = Bloc.INDIA if Bloc.INDIA in blocs else Bloc.CHINA if Bloc.CHINA in blocs else blocs[0]
        return PilotDraft(number, line, clean(text), list(dict.fromkeys(p.id for p in europe)),
                          list(dict.fromkeys(p.id for p in asia)), bloc, programme=self.programme)

    def _prose(self, number: int, text: str) -> None:
        """A line of programme prose; a paragraph that names a programme ("EU–Latin America") names the pilots
        that follow it, and one after pilots that names none ends the previous name."""
        new_paragraph = not self.programme_lines or self.programme_lines[-1][0] != number - 1
        if new_paragraph and self.pilots and self.pilots[-1].line > self.programme_line:
            self.programme = ""  # prose after pilots that names no programme of its own
        named = named_programme(text)
        if named:
            self.programme, self.programme_line = named, number
        self.programme_lines.append((number, text))

    def _known(self, name: str) -> Party | None:
        """A place the gazetteers know by exactly this name, else one the graph holds by that name."""
        for m in self.gaz.find(name):
            place = self.gaz.place_of(m.entity.id)
            if place and m.end - m.start >= len(name.strip()) and self.gaz.entities[place].kind != "Country":
                return Party(place, m.entity.bloc)
        return self.graph(name)

    def start_block(self, kind: str, line: int, indent: int, text: str) -> None:
        self.block = Block(kind, line, line, indent, [(line, text)])
        assert self.pilot is not None
        self.pilot.blocks.append((self.issue, self.issue_title, self.block))

    def feed(self, number: int, raw: str) -> None:
        line = raw.expandtabs(4).rstrip()
        stripped = line.strip()
        if not stripped:
            return
        indent = len(line) - len(line.lstrip())
        m = PILOT.match(stripped)
        if m and indent <= 2:
            self.skipping = False
            draft = self.heading(int(m.group(1)), m.group(2), number)
            if draft:
                self.pilots.append(draft)
                self.pilot, self.issue, self.issue_title, self.block = draft, None, None, None
                return
            if self.skipping:
                self.pilot, self.block = None, None
                return
        if self.skipping:
            return
        if self.pilot is None:
            self._prose(number, stripped)
            return
        m = ISSUE.match(stripped)
        if m:
            self.issue, self.issue_title, self.block = int(m.group(1)), clean(m.group(2)) or None, None
            return
        m = BULLET.match(stripped)
        if m and m.group(2):
            text = m.group(2)
            if self.block and self.block.kind == "bullet" and indent > self.block.indent:
                self.block.lines.append((number, text))  # a sub-bullet joins its parent
                self.block.line_end = number
                return
            nxt = NEXT.match(text)
            self.start_block("next" if nxt else "bullet", number, indent, nxt.group(1) if nxt else text)
            return
        nxt = NEXT.match(stripped)
        if nxt:
            self.start_block("next", number, indent, nxt.group(1))
            return
        if self.block and indent >= 2:
            self.block.lines.append((number, stripped))  # continuation of the bullet above
            self.block.line_end = number
            return
        if not self.pilot.blocks or (self.block and self.block.kind == "paragraph" and not indent):
            self.start_block("paragraph", number, indent, stripped)
            return
        # Unindented prose after a pilot's items: programme-level text again.
        self.pilot, self.block = None, None
        self._prose(number, stripped)

    # -- names -------------------------------------------------------------
    def names(self, lines: list[tuple[int, str]]) -> tuple[list[Match], list[str]]:
        """What the lines name: gazetteer matches, and the ids of organisations recognised by the form of their
        names (:mod:`citygraph.loaders.report.orgnames`); other names that look like parties are reported. The lines
        are read as one text, so a name wrapped over two lines is one name."""
        found: list[Match] = []
        text, line_at = _joined(lines)
        text = EMAIL.sub(lambda m: " " * len(m.group(0)), URL.sub(lambda m: " " * len(m.group(0)), text))
        text, orgs = self._named_together(text, conjunctions(text) + listed_companies(text), line_at, found)
        text = COMPARED.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)  # "Similar to Chandigarh"
        matches = self.gaz.find(text)
        found.extend(m for m in matches if not self._is_country(m))  # "(DK)", "to China": no party
        masked = list(text)
        for m in matches:
            masked[m.start : m.end] = " " * (m.end - m.start)
        aliases: set[str] = set()
        for cand in PHRASE.finditer("".join(masked)):
            parts = _split_pair(ARTICLE.sub("", cand.group(0).strip(" .'’")), cand.end())
            for name, end in parts:
                if fold(name) in self.gaz.not_entities or name in aliases:
                    continue
                if kind_of(name):
                    acronym = acronym_after(text, end)
                    aliases.add(acronym or "")
                    orgs.append(self._organisation(name, acronym, line_at(cand.start()), found))
                elif re.search(rf"\b{ORG_WORD}\b", name) and len(name.split()) > 1 or ACRONYM.match(name) \
                        or len(parts) > 1:  # named beside an organisation, and unknown
                    self.unresolved.append(Unresolved(f"{self.path}:{line_at(cand.start())}", name))
        return found, [o for o in orgs if o]

    def _named_together(self, text: str, spans: list[tuple[int, int, list[str]]], line_at: Callable[[int], int],
                        found: list[Match]) -> tuple[str, list[str]]:
        """Organisations named together ("Sichuan and Shantou Universities", "companies A and B"): the text
        with them blanked, and their ids."""
        ids: list[str] = []
        for start, end, names in spans:
            ids += [self._organisation(name, None, line_at(start), found) for name in names]
            text = text[:start] + " " * (end - start) + text[end:]
        return text, ids

    def _organisation(self, name: str, acronym: str | None, line: int, found: list[Match]) -> str:
        """The id of the organisation ``name``: the gazetteer's when it knows it, else one extracted here."""
        known = [m for m in self.gaz.find(name) if m.entity.label == "Organisation" and m.end - m.start == len(name)]
        if known:
            found.extend(known)
            return known[0].entity.id
        org_id = slugify(name)
        if org_id not in self.extracted:
            self.extracted[org_id] = ExtractedOrg(name, kind_of(name) or "Company", acronym, line)
        return org_id

    def _same_lines(self, section: str, start: int, end: int) -> str | None:
        """The id the known document's fact on these lines has (:mod:`citygraph.loaders.report.identity`)."""
        return self.known.same_lines(section, start, end) if self.known else None

    def _happenings(self, d: Dataset, coop: Cooperation, draft: PilotDraft, block: Block) -> None:
        """The agreements and events an item states (:mod:`citygraph.loaders.report.happenings`), citing its lines."""
        fallback = draft.europe + draft.asia
        cites = Cites(coop.sources, coop.where, coop.id)
        for k, h in enumerate(happenings(sentences([clean(t) for _, t in block.lines])), start=1):
            self._happening(d, h, f"{coop.id}-{h.what[0]}{k}", cites, fallback)

    def _programme_happenings(self, d: Dataset) -> None:
        """Agreements and events the programme paragraphs state; an agreement only with the parties it names."""
        for lines in _paragraphs(self.programme_lines):
            ref = SourceRef(document=self.doc, line_start=lines[0][0], line_end=lines[-1][0])
            cites = Cites([ref], f"{self.path}:{lines[0][0]}", None)
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
            named = self._parties(h.sentence)
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

    def _parties(self, sentence: str) -> list[str]:
        """The places (not countries) and organisations a sentence names, names that are no party blanked."""
        sentence, ids = self._named_together(sentence, conjunctions(sentence), lambda _: 0, [])
        folded = fold(sentence)
        for name in self.gaz.not_entities:
            folded = re.sub(rf"\b{re.escape(name)}\b", lambda m: " " * len(m.group(0)), folded)
        text = "".join(c if f != " " or c == " " else " " for c, f in zip(sentence, folded, strict=True))
        for m in self.gaz.find(text):
            if not self._is_country(m):
                ids.append(m.entity.id)
        ids += [o for o, org in self.extracted.items() if org.name in sentence]
        return list(dict.fromkeys(i for i in ids if i))

    def _locate(self, orgs: list[str], places: list[str], draft: PilotDraft) -> None:
        """Where each newly extracted organisation is: a place its name names, else the first place its item
        names, else the pilot's first European partner."""
        for org_id in orgs:
            org = self.extracted.get(org_id)
            if org is None or org.located_in:
                continue
            named = [self.gaz.place_of(m.entity.id) for m in self.gaz.find(org.name)]
            named += self._towns_named(org.name)
            org.located_in = next((p for p in named if p), None) or (places[0] if places else draft.europe[0])

    def _channel(self, issue_title: str | None, block: Block, matches: list[Match], orgs: list[str]) -> Channel:
        """The item's channel (:mod:`citygraph.loaders.report.channels`), its issue title read with it."""
        kinds = [m.entity.kind for m in matches if m.entity.label == "Organisation"]
        kinds += [self.extracted[o].kind for o in orgs if o in self.extracted]
        spans = [m.text for m in matches]
        text = f"{issue_title or ''} {block.text}"
        return channel_of(text, kinds, [(i.start(), i.end()) for t in spans for i in re.finditer(re.escape(t), text)])

    def _is_country(self, m: Match) -> bool:
        return m.entity.label == "Place" and self.gaz.entities[m.entity.id].kind == "Country"

    def _named_in_heading(self, issue_title: str | None) -> list[Match]:
        """The places and organisations an issue heading names ("Tourism cooperation between Fingal and
        Chengdu"): parties to every item under it."""
        return [m for m in self.gaz.find(issue_title or "") if not self._is_country(m)]

    def _towns_named(self, text: str) -> list[str]:
        """Places found in the world gazetteer for a pairing heading, where an item names them again."""
        folded = fold(text)
        return [p.id for p in self.world_towns if p.town is not None
                and any(re.search(rf"\b{re.escape(fold(n))}\b", folded) for n in (p.town.name, *p.town.aliases))]

    # -- output ------------------------------------------------------------
    def dataset(self) -> Dataset:
        d = Dataset()
        d.documents.append(self.known.document.model_copy(update={"where": str(self.path)}) if self.known else
                           Document(id=self.doc, title=self.path.stem, file=self.path.name, where=str(self.path),
                                    sha256=content_hash(self.path)))
        for party in {p.id: p for p in self.world_towns}.values():
            assert party.town is not None
            place = Place(**town_fields(party.town, party.town.name), where=str(self.path))
            place.review = (f"found in the world gazetteer as {place.name} ({place.country}): check it is the "
                            "place the report means")
            d.places.append(place)
        for draft in self.pilots:
            draft.id = self._same_lines("pilots", draft.line, draft.line) or draft.id
            self.names([(draft.line, draft.heading)])  # reports what looks like a party and is not one
            d.pilots.append(Pilot(id=draft.id, programme=draft.programme, number=draft.number,
                                  name=draft.heading, europe=draft.europe, asia=draft.asia,
                                  sources=[f"{self.doc}:{draft.line}"], where=f"{self.path}:{draft.line}"))
            counters: dict[tuple[int | None, str], int] = {}
            for issue, issue_title, block in draft.blocks:
                letter = {"bullet": "b", "next": "n", "paragraph": "p"}[block.kind]
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
                         where=f"{self.path}:{o.line}",
                         review=f"not in the gazetteer: kind {o.kind} guessed from the name, place guessed")
            for org_id, o in self.extracted.items())
        return d

    def _item(self, draft: PilotDraft, issue: int | None, issue_title: str | None, block: Block,
              n: int) -> Cooperation:
        """One bullet, Next Step or paragraph as a cooperation: who it names, its channel, sectors, date."""
        text = block.text
        matches, orgs = self.names(block.lines)
        matches += self._named_in_heading(issue_title)
        towns = self._towns_named(text)
        self._locate(orgs, [m.entity.place for m in matches if m.entity.place] + towns, draft)
        lines = f"{block.line_start}" + (f"-{block.line_end}" if block.line_end != block.line_start else "")
        return Cooperation(
            id=self._same_lines("cooperations", block.line_start, block.line_end) or f"{self.doc}-l{block.line_start}",
            pilot=draft.id,
            issue=issue,
            issue_title=issue_title,
            bullet=n if block.kind == "bullet" else None,
            title=title_of(text) or f"{draft.heading} item {n}",
            summary=clean(text)[:2000] or None,
            channel=self._channel(issue_title, block, matches, orgs),
            sectors=classify_sectors(f"{issue_title or ''} {text}"),
            status=status_of(text, next_step=block.kind == "next"),
            date=date_of(text),
            involves=list(dict.fromkeys([m.entity.id for m in matches] + orgs + towns)),
            sources=[f"{self.doc}:{lines}"],
            where=f"{self.path}:{block.line_start}",
        )


    def _programmes(self) -> list[ProgrammeItem]:
        """Programme figures from the prose between pilots (:mod:`citygraph.loaders.report.programmes`)."""
        return figures(_paragraphs(self.programme_lines), [(p.line, p.programme) for p in self.pilots], self.doc,
                       str(self.path))


def _joined(lines: list[tuple[int, str]]) -> tuple[str, Callable[[int], int]]:
    """Lines as one text (a full stop where a line ends a sentence without one), and the line of an offset."""
    text = sentences([t for _, t in lines])
    starts: list[tuple[int, int]] = []
    position = 0
    for number, line in lines:
        found = text.find(line.strip()[:20], position)
        position = found if found >= 0 else position
        starts.append((position, number))
    return text, lambda offset: next((n for start, n in reversed(starts) if start <= offset), lines[0][0])


def _split_pair(name: str, end: int) -> list[tuple[str, int]]:
    """ "Port of Rotterdam Authority and Pelindo III": two names when the first has an organisation's form and
    the second has two words or more ("Chamber of Commerce and Industry" stays one); each with where its text
    ends (the first one's end is an estimate, for the acronym after it)."""
    left, sep, right = name.partition(" and ")
    if sep and kind_of(left) and len(right.split()) >= 2:
        return [(left, end - len(right) - len(sep)), (right, end)]
    return [(name, end)]


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
    text = read_text(path, max_bytes=MAX_REPORT_BYTES).replace("\f", " ")  # page breaks of a PDF's text
    control = CONTROL.search(text)
    if control:
        raise InputError(f"contains the control character U+{ord(control.group()):04X}; remove it",
                         f"{path}:{text.count(chr(10), 0, control.start()) + 1}")
    lines = text.count("\n") + 1
    if lines > MAX_REPORT_LINES:
        raise InputError(
            f"has {lines:,} lines; a report may have at most {MAX_REPORT_LINES:,} "
            "(for bulk data use the structured CSV format)",
            str(path),
        )
    parser = _Parser(path, gazetteer, known_document(content_hash(path), known) if known else None, graph)
    for number, raw in enumerate(text.splitlines(), start=1):
        parser.feed(number, raw)
    if not parser.pilots:
        unread = "; ".join(u.text for u in parser.unresolved if u.text.startswith("pairing "))
        first = next((n for n, raw in enumerate(text.splitlines(), start=1) if raw.strip()), 1)
        raise InputError(
            (f"{unread}. " if unread else "") + "No pilot pairing was read: expected a numbered line naming a "
            "European and a partner place, such as '1. Barcelona – Wuhan / Chengdu' or '1) Chandigarh "
            "(cooperation mainly with Copenhagen)'",
            next((u.where for u in parser.unresolved if u.text.startswith("pairing ")), f"{path}:{first}"),
        )
    dataset = parser.dataset()
    if parser.known:
        dataset = reviewed(dataset, parser.known)
    extracted = [f"{path}:{o.line}: {o.name} ({o.kind})" for o in parser.extracted.values()]
    return ParsedReport(dataset, parser.unresolved, parser.pilots, extracted)
