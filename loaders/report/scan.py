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

from citygraph.loaders.documents import Block, Kind
from citygraph.loaders.report.drafts import ItemBlock, PilotDraft, clean, heading_draft
from citygraph.loaders.report.pairings import Pairings, heading_country
from citygraph.loaders.report.programmes import named_programme, programme_title
from citygraph.loaders.report.standalone import LeadIns, paragraph_pilots, row_pilot

#: "1. A – B", "1) A", "Pilot 1: A – B", "Pilot project 2 – A / B".
PILOT = re.compile(r"^(?:pilot(?:\s+project)?\s+)?([1-9]\d{0,2})\s*(?:[.)]|(?<=\d)\s*[:–—-])\s+(\S.*)$", re.IGNORECASE)
ISSUE = re.compile(r"^issue\s*(\d+)\s*[:.–—-]?\s*(.*)$", re.IGNORECASE)
BULLET = re.compile(r"^([•·●○◦▪▫■□‣⁃∙*–—-]|o(?=\s))\s*(.*)$")
NEXT = re.compile(r"^next\s*steps?\s*:\s*(.*)$", re.IGNORECASE)
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
        self.title = ""  # the programme the document names by its title, for pilots no section names one
        self.paragraph: list[tuple[int, str]] = []  # the prose paragraph being read, read whole at its end
        self.lists = LeadIns(pairings)  # "X is twinned with:" and its list, across blocks

    def heading(self, number: int, text: str, line: int, *, titled: bool = False) -> PilotDraft | None:
        """A pilot for a numbered line (or a ``titled`` section heading) that pairs European and partner places,
        else None."""
        try:
            found = self.pairings.parties(text, line, heading=titled)
        except LookupError:
            self.skipping = True
            return None
        return None if found is None else heading_draft(number, line, text, *found, self.programme or self.title)

    def _prose(self, number: int, text: str) -> None:
        """A line of programme prose; a paragraph that names a programme ("EU–Latin America") names the pilots
        that follow it, and one after pilots that names none ends the previous name."""
        new_paragraph = not self.programme_lines or self.programme_lines[-1][0] != number - 1
        if new_paragraph and self.pilots and self.pilots[-1].line > self.programme_line:
            self.programme = ""  # prose after pilots that names no programme of its own
        named = named_programme(text)
        if named:
            self.programme, self.programme_line = named, number
        self.title = self.title or programme_title(text)
        self.programme_lines.append((number, text))
        self.paragraph.append((number, text))

    def flush(self) -> None:
        """The prose paragraph read so far, as a whole (a sentence may wrap over lines): the pairs it states
        become pilots; one that names places of two blocs and states none is not read."""
        if not self.paragraph:
            return
        paragraph, self.paragraph = self.paragraph, []
        rest = self.lists.read(self.pilots, self.programme or self.title, paragraph)
        if rest:
            paragraph_pilots(self.pairings, self.pilots, self.programme or self.title, rest)

    def feed_block(self, block: Block) -> None:
        """One block of any container: a table row is read by its cells; a heading may name the partner
        country of the pairings under it; the rest are read as the lines of a text report."""
        if block.kind is Kind.TABLE_ROW:
            self.flush()
            self.pilot, self.block = None, None
            row_pilot(self.pairings, self.pilots, self.programme or self.title, block)
            return
        text = block.text
        if block.kind is Kind.HEADING:
            self.flush()
            draft = None if PILOT.match(text.strip()) else self.heading(len(self.pilots) + 1, text, block.line,
                                                                          titled=True)
            if draft is not None:  # "## Milan – Osaka": a pairing of its own section
                self._begin(draft)
                return
            self.pairings.hint = heading_country(text)
        elif block.kind is Kind.LINE and not text.startswith((" ", "\t")) and not PILOT.match(text.strip()):
            self.pairings.hint = heading_country(text) or self.pairings.hint
        if block.kind is Kind.LIST_ITEM and not PILOT.match(text):
            text = f"• {text}"
        self.feed(block.line, text)
        if block.kind is not Kind.LINE:
            self.flush()  # a paragraph of its own

    def start_block(self, kind: str, line: int, indent: int, text: str) -> None:
        self.block = ItemBlock(kind, line, line, indent, [(line, text)])
        assert self.pilot is not None
        self.pilot.blocks.append((self.issue, self.issue_title, self.block))

    def feed(self, number: int, raw: str) -> None:
        line = raw.expandtabs(4).rstrip()
        stripped = line.strip()
        if self.paragraph and (not stripped or number != self.paragraph[-1][0] + 1):
            self.flush()
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
            self._begin(draft)
            return True
        if self.skipping:
            self.pilot, self.block = None, None
            return True
        return False

    def _begin(self, draft: PilotDraft) -> None:
        """A new pilot, to which the items below belong; one read before from prose of the same places only is
        replaced (this is its own line)."""
        self.skipping = False
        self.pilots[:] = [p for p in self.pilots if not (p.weak and p.id == draft.id)]
        self.pilots.append(draft)
        self.pilot, self.issue, self.issue_title, self.block = draft, None, None, None

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
