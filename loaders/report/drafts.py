"""What the scanner drafts from a report before the parser interprets it: pilots with their items, and the
text clean-up both share (no addresses, e-mails or phone numbers; bounded lengths)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citygraph.loaders.dataset.model import MAX_TEXT
from citygraph.loaders.report.identity import pilot_id
from citygraph.loaders.report.pairing import Party
from citygraph.model.vocabulary import Bloc

URL = re.compile(r"\(?\s*(?:https?://|www\.)\S*\)?")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"\+?\d[\d ()./-]{7,}\d")


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
    weak: bool = False  # read from prose that says the places cooperate: a numbered pairing of them replaces it

    def __post_init__(self) -> None:
        self.id = self.id or pilot_id(self.europe, self.partner)
        self.programme = self.programme or f"EU-{self.bloc}"


def heading_draft(number: int, line: int, text: str, europe: list[Party], partner: list[Party],
                  programme: str) -> PilotDraft:
    """The pilot a pairing heading names: its partner bloc India or China where a partner is there, else the
    first partner's."""
    blocs = [p.bloc for p in partner]
    bloc = Bloc.INDIA if Bloc.INDIA in blocs else Bloc.CHINA if Bloc.CHINA in blocs else blocs[0]
    return PilotDraft(number, line, clip(clean(text)), list(dict.fromkeys(p.id for p in europe)),
                      list(dict.fromkeys(p.id for p in partner)), bloc, programme=programme)
