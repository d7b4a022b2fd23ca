"""A place as a report writes it, resolved: ``Bologna (Italy)``, ``Hayward, California``, ``Sevilla (Seville)``,
a bare ``Kobe``, or a metropolitan municipality the towns list lacks, kept as written in the country its
context gives (parentheses, a section heading, a table column) with a note to review.

The gazetteers come first, then the graph, then GeoNames' towns (:class:`PlaceResolver`); the spelling as
written stays an alias of the place found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from citygraph.loaders.report.pairing import Party
from citygraph.loaders.resolve.places import PlaceProblem, PlaceResolver, Resolved
from citygraph.model.countries import country_code
from citygraph.model.vocabulary import bloc_of_country

#: ``Name (inside)``: a country, or another name of the place.
PARENTHESISED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inside>[^()]+)\)\s*$")
#: How a name may look: capitalised words, with the small words of place names between them.
NAME = re.compile(r"^(?:[^\W\d_][\w'’.-]*)(?:[ -](?:[^\W\d_][\w'’.-]*|de|del|della|di|do|da|dos|la|le|les|el|"
                  r"upon|on|am|an|im|sur|en|y|and))*$")
#: The most words one place name has here ("Frankfurt am Main", "Newcastle upon Tyne", "Santa Cruz de la Sierra").
MAX_WORDS = 6


@dataclass
class WrittenPlaces:
    """Resolves place names as a report writes them; a place the report defines (from the towns, or kept as
    written) comes with its fields (:attr:`Party.fields`, with a note to review)."""

    resolver: PlaceResolver
    known: Callable[[str], Party | None]

    def place(self, text: str, country: str | None = None, *, strict: bool = False) -> Party | None:
        """The place ``text`` names (``country``: the ISO code its context gives), or None if it names none;
        ``strict``: only a place found somewhere, never one kept as written."""
        text = text.strip(" .,;:")
        if not text or len(text) > 120:
            return None
        m = PARENTHESISED.match(text)
        if m:
            inside = m.group("inside").strip()
            code = country_code(inside)
            if code:
                return self._in(m.group("name").strip(), code, strict)
            name = m.group("name")
            return (self.place(name, country, strict=True) or self.place(inside, country, strict=True)
                    or (None if strict else self.place(name, country)))
        if "," in text:  # "Hayward, California", "Lyon, France"
            if not all(NAME.match(part.strip()) for part in text.split(",")):
                return None
            return self._resolved(self._anywhere(text, strict), text)
        if not NAME.match(text) or len(text.split()) > MAX_WORDS:
            return None
        party = self.known(text)
        if party is not None and (country is None or party.bloc == bloc_of_country(country)):
            return party
        if country:
            return self._in(text, country, strict)
        return self._resolved(self._anywhere(text, strict), text)

    def _anywhere(self, text: str, strict: bool) -> Resolved | None:
        try:
            found = self.resolver.resolve_anywhere(text)
        except PlaceProblem:
            return None
        return None if strict and found.found_in == "as written" else found

    def _in(self, name: str, country: str, strict: bool) -> Party | None:
        if not NAME.match(name) or len(name.split()) > MAX_WORDS:
            return None
        resolved = self.resolver.resolve(name, country)
        if resolved.found_in == "as written" and strict:
            return None
        if resolved.found_in == "as written" and resolved.fields is not None:
            resolved.fields["review"] = (f"not in GeoNames' towns: kept as written, in {country} as its context "
                                         "says (a municipality, metropolitan area or region?)")
        return self._resolved(resolved, name, country)

    def _resolved(self, resolved: Resolved | None, written: str, country: str = "") -> Party | None:
        if resolved is None:
            return None
        fields = resolved.fields
        if fields is not None:
            if "review" not in fields:
                bare = f"; {written!r} names no country" if resolved.without_country and "," not in written else ""
                fields["review"] = (f"found in the world gazetteer as {fields['name']} ({fields['country']}): check it "
                                    f"is the place the report means{bare}")
            return Party(resolved.id, bloc_of_country(fields["country"]), fields=fields)
        entity = self.resolver.gazetteer.entities.get(resolved.id)
        if entity is not None:
            return Party(resolved.id, entity.bloc)
        known = self.known(written)  # the graph's place: its bloc as the graph holds it
        return known if known is not None and known.id == resolved.id else Party(resolved.id, bloc_of_country(country))
