"""``Town, Region`` and ``Town, Country`` names, as lists and reports write them.

The part after the last comma is read as a country (``Brest, France``) or a
first-level division (``Hayward, California``: ISO 3166-2, from pycountry,
which gives the division's country). A qualifier that is both (``Georgia``)
gives both readings; the caller keeps the one in which the town is found.
A name whose last part is neither is no qualified name (``Washington, D.C.``
stays whole), and neither is a name without a comma.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from citygraph.model.countries import country_code


@dataclass(frozen=True)
class Reading:
    """One reading of a qualified name: the town, its country, and the division's code within it, if any."""

    town: str
    country: str
    division: str | None = None  # ISO 3166-2's code after the country's (``CA`` of ``US-CA``)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip().casefold()


@cache
def _divisions() -> dict[str, list[tuple[str, str]]]:
    """Folded first-level division name (as ISO writes it, and in English: ``bayern``, ``bavaria``) or full code
    (``us-ca``) -> [(country, division)]."""
    import gettext

    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"], fallback=True)
    found: dict[str, list[tuple[str, str]]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue  # not first-level
        country, _, division = sub.code.partition("-")
        for key in {_fold(sub.name), _fold(english.gettext(sub.name)), _fold(sub.code)}:
            if (country, division) not in found.setdefault(key, []):
                found[key].append((country, division))
    return found


def readings(name: str) -> list[Reading]:
    """Every reading of ``Town, Qualifier``: as a country first, then as a division; none if it is neither."""
    town, sep, qualifier = name.rpartition(",")
    town, qualifier = town.strip(), qualifier.strip()
    if not sep or not town or not qualifier:
        return []
    found: list[Reading] = []
    country = country_code(qualifier)
    if country:
        found.append(Reading(town, country))
    found += [r for c, d in _divisions().get(_fold(qualifier), []) if (r := Reading(town, c, d)) not in found]
    return found
