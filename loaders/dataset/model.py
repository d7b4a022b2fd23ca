"""The canonical shape of citygraph input, validated by pydantic.

Every loader (structured files, the report parser, the generator) produces a
:class:`Dataset`; the writer alone turns a Dataset into graph writes. Each
item remembers where it came from (``where``: ``file:line``) so that errors
name the place to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from citygraph.loaders.dataset.compact import Items
from citygraph.model.countries import country_code
from citygraph.model.vocabulary import (
    ORGANISATION_KINDS,
    PLACE_KINDS,
    SECTORS,
    AgreementStatus,
    Channel,
    CooperationStatus,
    Programme,
)

SLUG = r"^[a-z0-9][a-z0-9._:-]*$"
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
# Linear time on any input (possessive runs, tried only where a run begins): a 200 KB line is checked in
# milliseconds, where the earlier patterns backtracked for minutes.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.-]+")
#: Nine or more digits with at most two separators between them (+44 (0)20 7946 0958, 555-123-4567).
PHONE = re.compile(r"(?<![\w+])(?<!\d[ ()./-])(?<!\d[ ()./-][ ()./-])\+?\d(?:[ ()./-]{0,2}+\d){8,}+(?![\w-])")


def without_contact(text: str) -> str:
    """``text`` with its e-mail addresses and phone numbers replaced by ``[e-mail]`` and ``[phone]``."""
    if "@" in text:
        text = EMAIL.sub("[e-mail]", text)
    return PHONE.sub("[phone]", text)


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_contact(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the type check that follows names the problem
    control = CONTROL.search(value)
    if control:
        raise ValueError(f"contains the control character U+{ord(control.group()):04X}, which no export can carry; "
                         "remove it")
    if "@" in value and EMAIL.search(value):
        raise ValueError("contains an e-mail address; contact data is not stored in the graph")
    if PHONE.search(value) and not DATE.match(value.strip()):
        raise ValueError("contains what looks like a phone number; contact data is not stored in the graph")
    return value


#: The longest id and text an item may hold: readers check these before they make a record.
MAX_ID, MAX_TEXT = 200, 2000
Id = Annotated[str, BeforeValidator(_text), Field(pattern=SLUG, max_length=MAX_ID)]
Text = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=MAX_TEXT), BeforeValidator(_no_contact)]
OptText = Annotated[str | None, BeforeValidator(lambda v: _no_contact(_text(v)) if v is not None else v)]


def _country(value: Any) -> Any:
    """A country as written (name, alpha-2 or alpha-3 code, ``Region, Country``) to ISO alpha-2."""
    if value is False:  # YAML 1.1 reads a bare NO (Norway) as false
        return "NO"
    code = country_code(str(value)) if isinstance(value, str) else None
    if code is None:
        raise ValueError(f"country {value!r} is not a country name or ISO code citygraph knows")
    return code


def _date(value: Any) -> Any:
    if value is None:
        return None
    value = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not DATE.match(value):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"date {value!r} is not a day of the calendar") from None
    return value


Date = Annotated[str | None, BeforeValidator(_date)]


LINES = re.compile(r"(\d+)(?:-(\d+))?")


def _source_ref(value: Any) -> Any:
    """``document:line`` or ``document:start-end``."""
    if isinstance(value, dict | SourceRef):
        return value
    text = str(value)
    doc, sep, lines = text.rpartition(":")
    match = LINES.fullmatch(lines)
    if not sep or not doc or not match:
        raise ValueError(f"source {text!r} is not document:line or document:start-end")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        raise ValueError(f"source {text!r} ends before it starts")
    return {"document": doc, "line_start": start, "line_end": end}


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    """``value`` as the vocabulary spells it, matched in any case (``city`` is ``City``)."""
    found = {a.casefold(): a for a in allowed}.get(str(value).strip().casefold())
    if found is None:
        raise ValueError(f"unknown {what} {value!r}; one of {', '.join(allowed)}")
    return found


@dataclass(frozen=True)
class Unresolved:
    """A name in a report that looks like a party but resolves to nothing (``where`` is file:locator), or a
    block that names places of two blocs and became no fact (``not_read``); ``line`` is the block's number."""

    where: str
    text: str
    line: int | None = None
    not_read: bool = False


@dataclass(frozen=True)
class Rejected:
    """A row (or item) left out of a load: where it is, why, and its cells as written (for a rejects file)."""

    where: str
    reason: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadCounts:
    """What reading the inputs found, for the load's summary."""

    rows: int = 0  # rows of pair lists read
    merged: int = 0  # rows that stated a pair an earlier row stated (listed twice, or from both sides)
    rejected: int = 0
    world: int = 0  # places found in the world gazetteer
    as_written: int = 0  # places found nowhere, kept as the file writes them
    without_country: int = 0  # places of pair lists that named no country for them (to review)
    extracted: int = 0  # organisations recognised in reports by the form of their names
    notes: int = 0  # a list's closing rows of a single cell ("Source: …"), left out

    def add(self, other: ReadCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def summary(self) -> list[tuple[str, int]]:
        return [("rows read", self.rows), ("rows merged as duplicates", self.merged),
                ("rows rejected", self.rejected), ("places found in the world gazetteer", self.world),
                ("places kept as written", self.as_written),
                ("places resolved without a country (review them)", self.without_country),
                ("organisations extracted from reports (kinds guessed: review them)", self.extracted),
                ("closing notes left out (rows of one cell below a list)", self.notes)]


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    where: str = Field(default="", exclude=True)
    #: What an analyst should check (``citygraph extract`` writes it where the parser guessed); never stored.
    review: str | None = Field(default=None, exclude=True)


def file_of(where: str) -> str | None:
    """The name of the file an item's ``where`` (``path:line`` or ``path:locator``) names: what a citation
    records as the file that stated it (``load --replace`` retracts by it)."""
    return _name(where.rsplit(":", 1)[0] if ":" in where else where)


@cache
def _name(path: str) -> str | None:
    return Path(path).name or None


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: Id
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)
    #: The name of the file that stated this source, where it is not the item's own file (a definition
    #: merged in from another file of the same load); never stored as a property.
    file: str | None = Field(default=None, exclude=True)

    @property
    def id(self) -> str:
        return source_id(self.document, self.line_start, self.line_end)


def source_id(document: str, line_start: int, line_end: int) -> str:
    """``document:line`` or ``document:start-end``: how a source is written and named."""
    return f"{document}:{line_start}" if line_start == line_end else f"{document}:{line_start}-{line_end}"


Sources = list[Annotated[SourceRef, BeforeValidator(_source_ref)]]


class Document(Item):
    id: Id
    title: Text
    file: OptText = None
    edition: int | None = None
    year: int | None = None
    #: The SHA-256 of the file's bytes: how a report is recognised whatever its file is called.
    sha256: Annotated[str | None, Field(pattern=r"^[0-9a-f]{64}$")] = None


class Place(Item):
    id: Id
    name: Text
    kind: str
    country: Annotated[str, BeforeValidator(_country)]
    part_of: Id | None = None
    bloc: str | None = None
    aliases: list[Text] = []
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    geonames: int | None = Field(default=None, ge=1)
    sources: Sources = []

    _kind = field_validator("kind")(lambda v: _one_of(v, PLACE_KINDS, "place kind"))


class Organisation(Item):
    id: Id
    name: Text
    kind: str
    located_in: Id
    aliases: list[Text] = []
    sources: Sources = []

    _kind = field_validator("kind")(lambda v: _one_of(v, ORGANISATION_KINDS, "organisation kind"))


class Person(Item):
    id: Id
    name: Text
    role: Text
    organisation: Id | None = None
    aliases: list[Text] = []
    sources: Sources = []


def _programme(value: Any) -> Any:
    """``EU – Latin America``, ``EU—Korea``, ``eu-china``: one programme name, ``EU-Latin America``; a name
    without a dash is the document's own ("International Urban Cooperation", "World Cities"), spaces folded."""
    if not isinstance(value, str):
        return value
    parts = [p.strip() for p in re.split(r"\s*[-–—]\s*", value.strip(), maxsplit=1)]
    if len(parts) != 2 or not all(parts):
        if not value.strip(" -–—"):
            raise ValueError(f"{value!r} is not a programme name (EU-China, International Urban Cooperation)")
        return " ".join(value.split())
    first, second = parts
    known = {p.value.casefold(): p.value for p in Programme}
    name = f"{first.upper() if len(first) <= 3 else first}-{second}"
    return known.get(name.casefold(), name)


#: A programme: as the document names it (World Cities, International Urban Cooperation), or two sides joined by
#: a dash (EU-China, EU-India, EU-South Africa, EU-Latin America).
ProgrammeName = Annotated[str, BeforeValidator(_programme), Field(min_length=3, max_length=100)]


class ProgrammeItem(Item):
    id: Id
    name: ProgrammeName
    pilots_total: int | None = None
    mous_signed: int | None = None
    sources: Sources = []


class Pilot(Item):
    id: Id
    programme: ProgrammeName
    number: int = Field(ge=1)
    name: Text
    europe: list[Id] = Field(min_length=1)
    partner: list[Id] = Field(min_length=1)
    partner_country: OptText = None  # the partner side's country or region ("Japan"); else its places' bloc
    sources: Sources = []


class Involvement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Id
    role: Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")] = "partner"


class Cooperation(Item):
    id: Id
    pilot: Id | None = None
    issue: int | None = None
    issue_title: OptText = None
    bullet: int | None = None
    title: Text
    summary: OptText = None
    channel: Channel
    sectors: list[str] = []
    status: CooperationStatus = CooperationStatus.ONGOING
    date: Date = None
    involves: list[Annotated[Involvement, BeforeValidator(lambda v: {"id": v} if isinstance(v, str) else v)]] = []
    sources: Sources = []

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, v: list[str]) -> list[str]:
        for s in v:
            if s not in SECTORS:
                raise ValueError(f"unknown sector {s!r}; one of {', '.join(SECTORS)}")
        return v


class Agreement(Item):
    id: Id
    title: Text
    status: AgreementStatus
    signed_by: list[Id] = Field(min_length=1)
    cooperation: Id | None = None
    date: Date = None
    sources: Sources = []


class Event(Item):
    id: Id
    name: Text
    kind: Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")] = "event"
    date: Date = None
    #: The last month of a range as written ("June/July 2016": date 2016-06, date_end 2016-07).
    date_end: Date = None
    about: list[Id] = []
    sources: Sources = []


SECTIONS: dict[str, type[Item]] = {
    "documents": Document,
    "places": Place,
    "organisations": Organisation,
    "people": Person,
    "programmes": ProgrammeItem,
    "pilots": Pilot,
    "cooperations": Cooperation,
    "agreements": Agreement,
    "events": Event,
}


class Dataset:
    """Everything one load writes, plus names known not to be entities. Each section is an
    :class:`~citygraph.loaders.dataset.compact.Items` of validated models, held compact once it grows."""

    documents: Items[Document]
    places: Items[Place]
    organisations: Items[Organisation]
    people: Items[Person]
    programmes: Items[ProgrammeItem]
    pilots: Items[Pilot]
    cooperations: Items[Cooperation]
    agreements: Items[Agreement]
    events: Items[Event]

    def __init__(self, **sections: Iterable[Any]) -> None:
        unknown = set(sections) - set(SECTIONS) - {"not_entities"}
        if unknown:
            raise TypeError(f"Dataset has no section {sorted(unknown)[0]!r}")
        for name, model in SECTIONS.items():
            setattr(self, name, Items(model, sections.get(name, ())))
        self.not_entities: list[str] = list(sections.get("not_entities", ()))

    @classmethod
    def model_validate(cls, data: dict[str, list[Any]]) -> Dataset:
        """Sections of fields (or models) validated into a Dataset; the first invalid item raises."""
        return cls(**{name: [SECTIONS[name].model_validate(x) if isinstance(x, dict) else x for x in items]
                      if name in SECTIONS else items for name, items in data.items()})

    def extend(self, other: Dataset) -> Dataset:
        for name in SECTIONS:
            getattr(self, name).extend(getattr(other, name))
        self.not_entities.extend(other.not_entities)
        return self

    def size(self) -> int:
        return sum(len(getattr(self, name)) for name in SECTIONS)
