"""A numbered report line read as a pairing of European and partner places, in its context: the country in
parentheses after a name, the country the section heading names; and the notes of what was not read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from citygraph.loaders.dataset.model import Unresolved
from citygraph.loaders.report.drafts import clean, clip
from citygraph.loaders.report.pairing import Party, resolve, sides
from citygraph.loaders.report.written import WrittenPlaces
from citygraph.loaders.resolve.gazetteer import Gazetteer
from citygraph.loaders.resolve.places import PlaceResolver
from citygraph.loaders.resolve.worldindex import world
from citygraph.model.countries import country_code
from citygraph.model.vocabulary import Bloc

#: A place the graph holds by a name, as a pairing's party; None when it holds none.
GraphPlaces = Callable[[str], Party | None]


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

    def parties(self, text: str, line: int, *, heading: bool = False) -> tuple[list[Party], list[Party]] | None:
        """The (European, partner) places a numbered line pairs; None if it pairs none, reported if it names
        places that are found nowhere. A ``heading`` without a number pairs only where every name on both sides
        is a place found (``Milan – Osaka``), none a country (``EU – Japan``); otherwise it is a heading."""
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
        if shape is None or (heading and any(country_code(n) for side in shape for n in side)):
            return None
        found = resolve(*shape, world(), self._known, self._in_context(_qualifiers(text)))
        if heading and (found.unknown or found.groups or not found.europe or not found.partners):
            return None
        if found.unknown or not found.europe or not found.partners:
            self.unresolved.append(Unresolved(self.where(line), (
                f"pairing {clean(text)!r} not read: no place called {', '.join(found.unknown)} was found "
                "(add it with a `gazetteer` FILE.yaml); the lines under it were skipped"), line))
            raise LookupError(text)
        for group in found.groups:
            self.unresolved.append(Unresolved(self.where(line), (
                f"{group!r} in pairing {clean(text)!r} is a group of places, not a place: the places the pairing "
                "names are read; add the group as an organisation with a `gazetteer` FILE.yaml"), line))
        self.found(found.europe + found.partners)
        return found.europe, found.partners

    def _in_context(self, qualified: dict[str, str]) -> Callable[[str, bool], Party | None]:
        """How a pairing line's name resolves in its context: the country in parentheses after it, else on the
        partner side the country of the section's heading; a place the towns lack is kept as written there."""
        def written(name: str, european: bool) -> Party | None:
            hint = None if european else self.hint
            if name in qualified:  # its country, or another name of it ("eThekwini (Durban)")
                return self.places.place(f"{name} ({qualified[name]})", hint, strict=not hint and
                                         not country_code(qualified[name]))
            if "," in name:  # "Hayward, California": the town within its region or country
                return self.places.place(name, strict=True)
            return self.places.place(name, hint) if hint else None
        return written

    def _known(self, name: str) -> Party | None:
        """A place the gazetteers know by exactly this name, else one the graph holds by that name."""
        for m in self.gaz.find(name):
            place = self.gaz.place_of(m.entity.id)
            if place and m.end - m.start >= len(name.strip()) and self.gaz.entities[place].kind != "Country":
                return Party(place, m.entity.bloc)
        return self.graph(name)


def _qualifiers(text: str) -> dict[str, str]:
    """Name -> what the parentheses after it say, as a pairing line writes them: its country (``Bologna
    (Italy)``) or another name of the place (``eThekwini (Durban)``); a remark in them begins in lower case."""
    out = {}
    for m in re.finditer(r"([^\W\d_][\w'’. -]*?)\s*\(([^()]{2,60})\)", text):
        inside = m.group(2).strip()
        if inside[:1].isupper():
            out[re.split(r",|\band\b|[–—/&]|\s-\s", m.group(1))[-1].strip()] = inside
    return out


def heading_country(text: str) -> str | None:
    """The country a section heading names (``Part A - South Africa``, ``Japan``, ``EU–India``), or None."""
    if len(text) > 80 or len(text.split()) > 8 or text.rstrip().endswith("."):
        return None
    if "," in text:
        return None  # "Lyon, France - Wuhan, China" names places, not a section
    for part in (text, *re.split(r"\s*[-–—:]\s*", text)[::-1]):
        code = country_code(part.strip())
        if code:
            return code
    return None
