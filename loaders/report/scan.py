"""Scanning a report: its lines into pilot pairings, each with the items (bullets, Next Steps, paragraphs)
beneath it, and the programme prose between them. What the items say is the parser's
(:mod:`citygraph.loaders.report.parser`); here only their shape is read.

It recognises numbered pairings (``1. West Midlands – Guangzhou / Tianjin``,
``1) Chandigarh (cooperation mainly with …)``, ``Pilot 1: A – B``), issue
headings (``Issue 1: …``, ``Issue 1 – …``), bullets and sub-bullets (any
common bullet character, any indentation), ``Next Step:`` lines and
hard-wrapped continuations; CRLF, tabs and odd spacing are fine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from citygraph.loaders.dataset.model import MAX_TEXT, Unresolved
from citygraph.loaders.documents import Block, Kind
from citygraph.loaders.report.identity import pilot_id
from citygraph.loaders.report.layouts import RowPairing, row_pairing, sentence_pairs
from citygraph.loaders.report.pairing import Party, resolve, sides
from citygraph.loaders.report.programmes import named_programme
from citygraph.loaders.report.written import WrittenPlaces
from citygraph.loaders.resolve.gazetteer import Gazetteer
from citygraph.loaders.resolve.places import PlaceResolver
from citygraph.loaders.resolve.worldindex import world
from citygraph.model.countries import country_code
from citygraph.model.vocabulary import Bloc

#: "1. A – B", "1) A", "Pilot 1: A – B", "Pilot project 2 – A / B".
PILOT = re.compile(r"^(?:pilot(?:\s+project)?\s+)?([1-9]\d{0,2})\s*(?:[.)]|(?<=\d)\s*[:–—-])\s+(\S.*)$", re.IGNORECASE)
ISSUE = re.compile(r"^issue\s*(\d+)\s*[:.–—-]?\s*(.*)$", re.IGNORECASE)
BULLET = re.compile(r"^([•·●○◦▪▫■□‣⁃∙*–—-]|o(?=\s))\s*(.*)$")
NEXT = re.compile(r"^next\s*steps?\s*:\s*(.*)$", re.IGNORECASE)
URL = re.compile(r"\(?\s*(?:https?://|www\.)\S*\)?")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"\+?\d[\d ()./-]{7,}\d")

#: A place the graph holds by a name, as a pairing's party; None when it holds none.
GraphPlaces = Callable[[str], Party | None]


def clean(text: str) -> str:
    """Text without addresses, e-mails and phone numbers (a year range stays), spaces folded, ends trimmed."""
    text = EMAIL.sub("", URL.sub("", text))
    text = PHONE.sub(lambda m: m.group(0) if re.fullmatch(r"\d{4}([-/]\d{4})?", m.group(0).strip()) else "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:–-")


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """Text cut to ``limit`` characters at a word, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class ItemBlock:
    """The lines of one item under a pilot: a bullet (with its sub-bullets), a Next Step or a paragraph."""

    kind: str  # bullet | next | paragraph | row (a table row) | sentence (a pairing sentence)
    line_start: int
    line_end: int
    indent: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    date: str | None = None  # what a table's year or date column says

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.lines)

    def add(self, number: int, text: str) -> None:
        self.lines.append((number, text))
        self.line_end = number


@dataclass
class PilotDraft:
    number: int
    line: int
    heading: str
    europe: list[str]
    partner: list[str]
    bloc: str
    blocks: list[tuple[int | None, str | None, ItemBlock]] = field(default_factory=list)
    id: str = ""  # from its partners, or the known document's pilot on the same line (see identity)
    programme: str = ""  # as the report names it before the pilot ("EU–Latin America"), else EU-<partner bloc>

    def __post_init__(self) -> None:
        self.id = self.id or pilot_id(self.europe, self.partner)
        self.programme = self.programme or f"EU-{self.bloc}"


class Pairings:
    """Reads a numbered line as a pairing of European and partner places: through the gazetteers, else the
    world's towns (kept in ``world_towns``); a pairing whose places are found nowhere is ``unresolved``.
    ``hint`` is the partner country the section heading names, if it names one."""

    def __init__(self, path: Path, gazetteer: Gazetteer, graph: GraphPlaces | None = None,
                 where: Callable[[int], str] | None = None) -> None:
        self.path, self.gaz = path, gazetteer
        self.graph: GraphPlaces = graph or (lambda _: None)
        self.where: Callable[[int], str] = where or (lambda line: f"{path}:{line}")
        self.unresolved: list[Unresolved] = []
        self.world_towns: list[Party] = []  # pairing places only the world gazetteer knew, or kept as written
        self.places = WrittenPlaces(PlaceResolver(gazetteer, [], world()), self._known)
        self.hint: str | None = None

    def not_read(self, line: int, text: str) -> None:
        """A block that names places of two blocs and became no pairing: said, never dropped in silence."""
        self.unresolved.append(Unresolved(self.where(line), f"not read: {clip(clean(text), 300)}", line,
                                          not_read=True))

    def found(self, parties: list[Party]) -> None:
        """Keep the places of a pairing this report defines (from the towns, or as written)."""
        self.world_towns.extend(p for p in parties if p.town is not None or p.fields is not None)

    def parties(self, text: str, line: int) -> tuple[list[Party], list[Party]] | None:
        """The (European, partner) places a numbered line pairs; None if it pairs none, reported if it names
        places that are found nowhere."""
        europe: list[Party] = []
        partner: list[Party] = []
        for m in self.gaz.find(text):
            place = self.gaz.place_of(m.entity.id)
            if place is None or self.gaz.entities[place].kind == "Country":
                continue
            (europe if m.entity.bloc == Bloc.EUROPE else partner).append(Party(place, m.entity.bloc))
        if europe and partner:
            return europe, partner
        shape = sides(text)
        if shape is None:
            return None
        found = resolve(*shape, world(), self._known, self._in_context(_qualifiers(text)))
        if found.unknown or not found.europe or not found.partners:
            self.unresolved.append(Unresolved(self.where(line), (
                f"pairing {clean(text)!r} not read: no place called {', '.join(found.unknown)} was found "
                "(add it with a `gazetteer` FILE.yaml); the lines under it were skipped"), line))
            raise LookupError(text)
        self.found(found.europe + found.partners)
        return found.europe, found.partners

    def _in_context(self, qualified: dict[str, str]) -> Callable[[str, bool], Party | None]:
        """How a pairing line's name resolves in its context: the country in parentheses after it, else on the
        partner side the country of the section's heading; a place the towns lack is kept as written there."""
        def written(name: str, european: bool) -> Party | None:
            if name in qualified:
                return self.places.place(f"{name} ({qualified[name]})")
            return self.places.place(name, self.hint) if self.hint and not european else None
        return written

    def _known(self, name: str) -> Party | None:
        """A place the gazetteers know by exactly this name, else one the graph holds by that name."""
        for m in self.gaz.find(name):
            place = self.gaz.place_of(m.entity.id)
            if place and m.end - m.start >= len(name.strip()) and self.gaz.entities[place].kind != "Country":
                return Party(place, m.entity.bloc)
        return self.graph(name)


def _qualifiers(text: str) -> dict[str, str]:
    """Name -> the country in the parentheses after it (``Bologna (Italy)``), as a pairing line writes them."""
    out = {}
    for m in re.finditer(r"([^\W\d_][\w'’. -]*?)\s*\(([^()]{2,60})\)", text):
        if country_code(m.group(2)):
            out[m.group(1).strip().split(",")[-1].split("–")[-1].strip()] = m.group(2).strip()
    return out


def heading_country(text: str) -> str | None:
    """The country a section heading names (``Part A - South Africa``, ``Japan``, ``EU–India``), or None."""
    if len(text) > 80 or len(text.split()) > 8 or text.rstrip().endswith("."):
        return None
    for part in (text, *re.split(r"\s*[-–—:]\s*", text)[::-1]):
        code = country_code(part.strip())
        if code:
            return code
    return None


class Scanner:
    """Feeds on a report's lines and keeps its shape: pilots with their items, and the programme prose."""

    def __init__(self, pairings: Pairings) -> None:
        self.pairings = pairings
        self.pilots: list[PilotDraft] = []
        self.pilot: PilotDraft | None = None
        self.issue: int | None = None
        self.issue_title: str | None = None
        self.block: ItemBlock | None = None
        self.programme_lines: list[tuple[int, str]] = []
        self.programme = ""  # the programme the prose before the next pilot names, if any
        self.programme_line = 0  # where it was named
        self.skipping = False  # under a pairing that could not be read

    def heading(self, number: int, text: str, line: int) -> PilotDraft | None:
        """A pilot for a numbered line that pairs European and partner places, else None."""
        try:
            found = self.pairings.parties(text, line)
        except LookupError:
            self.skipping = True
            return None
        if found is None:
            return None
        europe, partner = found
        blocs = [p.bloc for p in partner]
        bloc = Bloc.INDIA if Bloc.INDIA in blocs else Bloc.CHINA if Bloc.CHINA in blocs else blocs[0]
        return PilotDraft(number, line, clip(clean(text)), list(dict.fromkeys(p.id for p in europe)),
                          list(dict.fromkeys(p.id for p in partner)), bloc, programme=self.programme)

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
        pairs, two_blocs = sentence_pairs(text, self.pairings.places, self.pairings.hint)
        for europe, partner in pairs:
            self._standalone([europe], [partner], number, text)
        if two_blocs and not pairs:
            self.pairings.not_read(number, text)

    def feed_block(self, block: Block) -> None:
        """One block of any container: a table row is read by its cells; a heading may name the partner
        country of the pairings under it; the rest are read as the lines of a text report."""
        if block.kind is Kind.TABLE_ROW:
            self._row(block)
            return
        text = block.text
        if block.kind is Kind.HEADING:
            self.pairings.hint = heading_country(text)
        elif block.kind is Kind.LINE and not text.startswith((" ", "\t")):
            self.pairings.hint = heading_country(text) or self.pairings.hint
        if block.kind is Kind.LIST_ITEM and not PILOT.match(text):
            text = f"• {text}"
        self.feed(block.line, text)

    def _row(self, block: Block) -> None:
        """A table row: a pilot if its cells pair a European and a partner place, with the row as its item."""
        self.pilot, self.block = None, None
        found = row_pairing(block.header, block.cells, self.pairings.places, self.pairings.hint)
        if found is None:
            if sentence_pairs(" ; ".join(block.cells), self.pairings.places)[1]:
                self.pairings.not_read(block.line, block.text)
            return
        cells = "; ".join(f"{h}: {c}" if h else c for h, c in zip(block.header or ("",) * len(block.cells),
                                                                    block.cells, strict=False) if c)
        self._standalone(found.europe, found.partner, block.line, cells, found)

    def _standalone(self, europe: list[Party], partner: list[Party], line: int, text: str,
                    row: RowPairing | None = None) -> None:
        """A pilot read from a table row or a sentence, with that row or sentence as its one item."""
        self.pairings.found(europe + partner)
        blocs = [p.bloc for p in partner]
        heading = " – ".join(", ".join(self._name(p) for p in side) for side in (europe, partner))
        draft = PilotDraft((row.number if row and row.number else None) or len(self.pilots) + 1, line,
                           clip(heading), list(dict.fromkeys(p.id for p in europe)),
                           list(dict.fromkeys(p.id for p in partner)), blocs[0], programme=self.programme)
        if any(p.id == draft.id for p in self.pilots):
            return  # the same pairing again (a table and a sentence): one pilot
        item = ItemBlock("row" if row else "sentence", line, line, 0, [(line, text)],
                         date=row.date if row else None)
        draft.blocks.append((None, None, item))
        self.pilots.append(draft)

    def _name(self, party: Party) -> str:
        if party.fields:
            return str(party.fields["name"])
        entity = self.pairings.gaz.entities.get(party.id)
        return entity.name if entity else party.town.name if party.town else party.id

    def start_block(self, kind: str, line: int, indent: int, text: str) -> None:
        self.block = ItemBlock(kind, line, line, indent, [(line, text)])
        assert self.pilot is not None
        self.pilot.blocks.append((self.issue, self.issue_title, self.block))

    def feed(self, number: int, raw: str) -> None:
        line = raw.expandtabs(4).rstrip()
        stripped = line.strip()
        if not stripped:
            return
        indent = len(line) - len(line.lstrip())
        m = PILOT.match(stripped)
        if m and indent <= 2 and self._pairing(int(m.group(1)), m.group(2), number):
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
        self._item_line(number, indent, stripped)

    def _pairing(self, pilot_number: int, text: str, line: int) -> bool:
        """A numbered line: a new pilot (True), a pairing that could not be read (True: skip what is under it),
        or a numbered line of some other kind (False)."""
        self.skipping = False
        draft = self.heading(pilot_number, text, line)
        if draft:
            self.pilots.append(draft)
            self.pilot, self.issue, self.issue_title, self.block = draft, None, None, None
            return True
        if self.skipping:
            self.pilot, self.block = None, None
            return True
        return False

    def _item_line(self, number: int, indent: int, stripped: str) -> None:
        """A line under a pilot: a bullet, a sub-bullet, a Next Step, a continuation or a paragraph; unindented
        prose after a pilot's items is programme-level text again."""
        assert self.pilot is not None
        m = BULLET.match(stripped)
        if m and m.group(2):
            text = m.group(2)
            if self.block and self.block.kind == "bullet" and indent > self.block.indent:
                self.block.add(number, text)  # a sub-bullet joins its parent
                return
            nxt = NEXT.match(text)
            self.start_block("next" if nxt else "bullet", number, indent, nxt.group(1) if nxt else text)
            return
        nxt = NEXT.match(stripped)
        if nxt:
            self.start_block("next", number, indent, nxt.group(1))
            return
        if self.block and indent >= 2:
            self.block.add(number, stripped)  # continuation of the bullet above
            return
        if not self.pilot.blocks or (self.block and self.block.kind == "paragraph" and not indent):
            self.start_block("paragraph", number, indent, stripped)
            return
        self.pilot, self.block = None, None
        self._prose(number, stripped)
