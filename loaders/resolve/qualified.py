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


#: ``Town (Qualifier)``: read as ``Town, Qualifier`` (a qualifier that is no country or division, as in
#: ``Frankfurt (Oder)``, gives no reading: the whole name is a town's own).
PARENTHESISED = re.compile(r"^\s*([^()]*?[^\s()])\s*\(([^()]+)\)\s*$")


def readings(name: str) -> list[Reading]:
    """Every reading of ``Town, Qualifier`` (or ``Town (Qualifier)``), at each comma, the longest town first
    ("Las Vegas, Santa Barbara, Honduras"), then shorter ones ("Samaipata, Bolivia, Plurinational State of";
    "Springfield, Illinois, United States" is Springfield in Illinois); at one comma, as a country first, then
    as a division. None if no qualifier is a country or a division."""
    found: list[Reading] = []
    bracketed = PARENTHESISED.match(name)  # "Osaka (Japan)", "Columbus (Georgia, United States)"
    if bracketed:
        found += readings(f"{bracketed.group(1)}, {bracketed.group(2)}")
    end = name.rfind(",")
    while end > 0:
        found += _readings(name[:end].strip(), name[end + 1:].strip())
        end = name.rfind(",", 0, end)
    return found


def _readings(town: str, qualifier: str) -> list[Reading]:
    if not town or not qualifier:
        return []
    found: list[Reading] = []
    country = country_code(qualifier)
    if country:
        region = qualifier.rsplit(",", 1)[0] if "," in qualifier else ""  # "Illinois, United States"
        division = next((d for c, d in _divisions().get(_fold(region), []) if c == country), None)
        found.append(Reading(town, country, division))
    found += [r for c, d in _divisions().get(_fold(qualifier), []) if (r := Reading(town, c, d)) not in found]
    return found
