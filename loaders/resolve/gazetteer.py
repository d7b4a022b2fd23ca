"""The gazetteer: names and their spelling variants, resolved to entity ids.

Matching is on a folded form of the text (case and accents dropped, one
character for one, so positions stay the text's own); short all-capital
acronyms (``AMA``, ``CLEAN``, ``DCU``) only match in capitals, so the word
"clean" never becomes the CLEAN Cluster. The longest name wins where names
overlap (``Dublin City University`` over ``Dublin``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from citygraph.loaders.dataset.model import Dataset, Organisation, Person, Place
from citygraph.model.vocabulary import bloc_of_country


def fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    low = base.casefold()
    return low[0] if len(low) == 1 else base


def fold(text: str) -> str:
    """Case- and accent-free text of the same length as ``text``."""
    return "".join(fold_char(c) for c in text)


def _is_acronym(name: str) -> bool:
    letters = name.replace("-", "")
    return len(letters) <= 6 and letters.isalpha() and letters.isupper()


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    label: str  # Place | Organisation | Person
    kind: str
    bloc: str
    place: str | None  # the place the entity belongs to (itself for places)


@dataclass(frozen=True)
class Match:
    entity: Entity
    start: int
    end: int
    text: str


class Gazetteer:
    def __init__(self, dataset: Dataset) -> None:
        self.entities: dict[str, Entity] = {}
        places = {p.id: p for p in dataset.places}
        for p in dataset.places:
            bloc = p.bloc or bloc_of_country(p.country)
            self.entities[p.id] = Entity(p.id, p.name, "Place", p.kind, bloc, p.id)
        for o in dataset.organisations:
            place = places.get(o.located_in)
            bloc = (place.bloc or bloc_of_country(place.country)) if place else ""
            self.entities[o.id] = Entity(o.id, o.name, "Organisation", o.kind, bloc, o.located_in)
        orgs = {o.id: o for o in dataset.organisations}
        for person in dataset.people:
            org = orgs.get(person.organisation or "")
            ent = self.entities.get(org.id) if org else None
            self.entities[person.id] = Entity(person.id, person.name, "Person", "Person",
                                              ent.bloc if ent else "", ent.place if ent else None)
        self.parents = {p.id: p.part_of for p in dataset.places if p.part_of}
        self.countries = {p.id: p.country for p in dataset.places}
        names: dict[str, tuple[str, bool]] = {}
        named: list[Place | Organisation | Person] = [*dataset.places, *dataset.organisations, *dataset.people]
        for item in named:
            for name in [item.name, *item.aliases]:
                key = name if _is_acronym(name) else fold(name)
                names.setdefault(key, (item.id, _is_acronym(name)))
        self._names = names
        self.not_entities = {fold(n) for n in dataset.not_entities}
        exact = sorted((k for k, (_, acr) in names.items() if acr), key=len, reverse=True)
        folded = sorted((k for k, (_, acr) in names.items() if not acr), key=len, reverse=True)
        # Longest first inside each alternation; both run and overlaps go to the longer match.
        self._exact = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, exact)) + r")(?![\w-])") if exact else None
        self._folded = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, folded)) + r")(?!\w)") if folded else None

    def lookup(self, name: str) -> Entity | None:
        """The entity a whole name denotes, or None."""
        hit = self._names.get(name.strip()) or self._names.get(fold(name.strip()))
        return self.entities[hit[0]] if hit else None

    def find(self, text: str) -> list[Match]:
        """Every gazetteer name in ``text``, longest first where they overlap, in text order."""
        candidates: list[Match] = []
        if self._folded:
            for hit in self._folded.finditer(fold(text)):
                ent = self.entities[self._names[hit.group(1)][0]]
                candidates.append(Match(ent, hit.start(), hit.end(), text[hit.start():hit.end()]))
        if self._exact:
            for hit in self._exact.finditer(text):
                ent = self.entities[self._names[hit.group(1)][0]]
                candidates.append(Match(ent, hit.start(), hit.end(), hit.group(1)))
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[Match] = []
        for m in candidates:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        return sorted(taken, key=lambda m: m.start)

    def place_of(self, entity_id: str) -> str | None:
        ent = self.entities.get(entity_id)
        return ent.place if ent else None
