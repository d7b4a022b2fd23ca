"""Pairings listed under a lead-in, as city pages and twinning registers publish them::

    Hamburg is twinned with:
    • Chicago, United States (1994)
    • Osaka (Japan), 1989
    • Shanghai

The lead-in is a line ending in a colon that says its place is paired, twinned or
cooperates (:data:`~citygraph.loaders.report.layouts.PAIRED`,
:data:`~citygraph.loaders.report.layouts.COOPERATING`) or names its "partner",
"sister" or "twin" towns, and names exactly one place; each list item after it
names one place (``Town, Country``, ``Town (Country)`` or a bare town), and a
year it gives is the pairing's start. A pair of two places of one bloc is no
pilot here (a pilot pairs Europe with a partner), as in any other layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citygraph.loaders.report.layouts import COOPERATING, OPENERS, PAIRED, YEAR
from citygraph.loaders.report.pairing import Party
from citygraph.loaders.report.written import WrittenPlaces

#: Words of a lead-in that names a place's partners ("Partner cities of Hamburg:", "Twin towns:").
PARTNERS = re.compile(r"\b(?:partner|sister|twin|friendship)\s+(?:cit(?:y|ies)|towns?|municipalit(?:y|ies)|"
                      r"regions?|provinces?)\b", re.IGNORECASE)
#: A list item's bullet, in a text report.
BULLET = re.compile(r"^\s*(?:[•·●○◦▪‣⁃∙*–—-]|\d{1,3}[.)])\s+")
#: What a list item says after its place: a year in parentheses or after a comma or dash ("(1994)", ", 1989",
#: " – since 2001").
TRAILER = re.compile(r"\s*(?:\((?:[^()]*?\b(?:19|20)\d\d\b[^()]*)\)|[,;–—-]\s*(?:since\s+)?(?:19|20)\d\d\b.*)$",
                     re.IGNORECASE)
#: Capitalised words that open a lead-in rather than name its place.
LEAD_WORDS = OPENERS | {"Partner", "Sister", "Twin", "Twinned", "Paired", "Partnerships", "Cities", "Towns", "City",
                        "Is", "Has", "Its"}
#: A name in a lead-in: capitalised words, the small words of place names between them.
RUN = re.compile(r"[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:(?:de|del|di|da|do|la|le|am|an|upon|on|sur|es)\s+)?[A-ZÀ-Þ][\w'’.-]*)*")


@dataclass
class Listed:
    """A list item read as a place: the place, and the year its pairing began, if it gives one."""

    party: Party
    year: str | None


def lead_subject(text: str, places: WrittenPlaces, hint: str | None) -> Party | None:
    """The place a lead-in line names, or None if ``text`` is no lead-in (see the module's text)."""
    text = text.strip()
    if not text.endswith(":") or not (PAIRED.search(text) or COOPERATING.search(text) or PARTNERS.search(text)):
        return None
    found: dict[str, Party] = {}
    for m in RUN.finditer(text[:-1]):
        words = m.group().replace("’s", "").replace("'s", "").split()
        while words and words[0] in LEAD_WORDS:
            words = words[1:]
        name = " ".join(words)
        party = places.place(name, hint, strict=True) if name else None
        if party is not None:
            found[party.id] = party
    return next(iter(found.values())) if len(found) == 1 else None


def listed_place(text: str, places: WrittenPlaces, hint: str | None) -> Listed | None:
    """The one place a list item names, and its year; None if it names none or more than a place."""
    text = BULLET.sub("", text).strip().rstrip(".;")
    trailer = TRAILER.search(text)
    name = text[:trailer.start()] if trailer else text
    year = YEAR.search(trailer.group()) if trailer else None
    party = places.place(name, hint, strict=True) or places.place(name, hint)
    return Listed(party, year.group(1) if year else None) if party is not None else None
