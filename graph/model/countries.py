"""Countries as people write them, to ISO 3166-1 alpha-2, and the bloc each belongs to.

Names, official names, common names and alpha-2/alpha-3 codes come from
``pycountry`` (ISO 3166 data, LGPL-2.1, used as a library), and so do the
names in other languages (``España``, ``Deutschland``, ``Royaume-Uni``, ``中国``). What it misses
and real lists carry is in :data:`ALIASES`: the nations of the United
Kingdom, short forms (``Russia``, ``Turkey``, ``Ivory Coast``), codes with
no ISO entry yet (``Kosovo`` → ``XK``). ``Region, Country`` forms
(``Scotland, United Kingdom``) and a parenthesis (``Georgia (country)``)
are read from their country part, unless the region is a territory of that
country with its own code (``Réunion, France`` is RE; see :data:`TERRITORIES`).

A place's bloc is ``Europe`` for a country in :data:`EUROPE` (the whole
continent, not only the EU; override with ``CITYGRAPH_EUROPE``) and
otherwise the country's English short name (``China``, ``India``, ``Japan``,
``South Africa``): no place is lumped into "Other".
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from contextlib import suppress
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path

import pycountry

from citygraph.core.config import cache_dir
from citygraph.core.errors import OutputError
from citygraph.core.outputs import replace_text

#: Forms found in real lists that ISO's names do not cover (folded: lower case, no accents).
ALIASES: dict[str, str] = {
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "great britain": "GB",
    "britain": "GB", "uk": "GB", "u.k.": "GB", "united kingdom of great britain": "GB",
    "republic of ireland": "IE", "eire": "IE",
    "russia": "RU", "turkey": "TR", "kosovo": "XK", "ivory coast": "CI", "cape verde": "CV",
    "palestine": "PS", "state of palestine": "PS", "macedonia": "MK", "fyrom": "MK", "vatican": "VA",
    "vatican city": "VA", "holy see": "VA", "czech republic": "CZ", "burma": "MM", "swaziland": "SZ",
    "east timor": "TL", "usa": "US", "u.s.a.": "US", "u.s.": "US", "america": "US",
    "united states of america": "US", "south korea": "KR", "korea": "KR", "north korea": "KP",
    "dr congo": "CD", "democratic republic of the congo": "CD", "congo-kinshasa": "CD",
    "republic of the congo": "CG", "congo-brazzaville": "CG", "the netherlands": "NL", "holland": "NL",
    "the gambia": "GM", "the bahamas": "BS", "micronesia": "FM", "brunei": "BN", "laos": "LA",
    "syria": "SY", "iran": "IR", "moldova": "MD", "vietnam": "VN", "taiwan": "TW", "hong kong": "HK",
    "macau": "MO", "macao": "MO", "west bank": "PS", "gaza": "PS", "curacao": "CW", "faroe islands": "FO",
    # Territories and disputed names, as lists write them (the table in docs/countries.md):
    "palestinian territories": "PS", "palestinian territory": "PS", "occupied palestinian territories": "PS",
    "palestinian authority": "PS", "falkland islands": "FK", "falklands": "FK", "malvinas": "FK",
    # Northern Cyprus has no ISO code: its towns are filed under Cyprus, as GeoNames files them.
    "northern cyprus": "CY", "turkish republic of northern cyprus": "CY", "trnc": "CY",
    # Short forms of official names, in English and as German, French and Spanish lists write them:
    "prc": "CN", "p.r.c.": "CN", "pr china": "CN", "p.r. china": "CN", "vr china": "CN", "rp chine": "CN",
    "republic of korea": "KR", "rep. of korea": "KR", "rok": "KR", "grossbritannien": "GB", "reino unido": "GB",
    "ee.uu.": "US", "eeuu": "US", "eua": "US", "vae": "AE", "uae": "AE", "u.a.e.": "AE",
}

#: Territories with an ISO code of their own, by the country people name after them
#: (``Réunion, France`` is RE, ``Åland Islands, Finland`` is AX: their towns are filed there).
TERRITORIES: dict[str, str] = {
    "AX": "FI", "FO": "DK", "GL": "DK", "SJ": "NO", "GI": "GB", "IM": "GB", "JE": "GB", "GG": "GB", "BM": "GB",
    "KY": "GB", "VG": "GB", "FK": "GB", "MS": "GB", "TC": "GB", "AI": "GB", "SH": "GB", "RE": "FR", "GP": "FR",
    "MQ": "FR", "GF": "FR", "YT": "FR", "NC": "FR", "PF": "FR", "PM": "FR", "BL": "FR", "MF": "FR", "WF": "FR",
    "PR": "US", "GU": "US", "VI": "US", "AS": "US", "MP": "US", "AW": "NL", "CW": "NL", "SX": "NL", "BQ": "NL",
    "HK": "CN", "MO": "CN", "CX": "AU", "CC": "AU", "NF": "AU", "CK": "NZ", "NU": "NZ", "TK": "NZ",
}

#: Short names where ISO's is long or formal (the bloc name of a partner country).
SHORT_NAMES: dict[str, str] = {"XK": "Kosovo", "PS": "Palestine", "TW": "Taiwan", "RU": "Russia", "KR": "South Korea",
                               "KP": "North Korea", "VA": "Vatican", "CD": "DR Congo", "CG": "Congo",
                               "BO": "Bolivia", "VE": "Venezuela", "IR": "Iran", "SY": "Syria", "TZ": "Tanzania",
                               "MD": "Moldova", "LA": "Laos", "VN": "Vietnam", "FM": "Micronesia", "BN": "Brunei",
                               "GB": "United Kingdom", "US": "United States", "CZ": "Czechia", "TR": "Turkey",
                               "FK": "Falkland Islands"}

#: The European bloc: the whole continent (EU, EFTA, the Balkans, the microstates, Eastern Europe,
#: Turkey and the Caucasus states that take part in European programmes), as ISO alpha-2 codes.
_EUROPE_GROUPS = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE",  # EU
    "GB NO CH IS LI",  # United Kingdom, EFTA
    "AL BA ME MK RS XK",  # Western Balkans
    "AD MC SM VA GI FO AX IM JE GG",  # microstates and dependencies
    "UA MD BY RU TR GE AM AZ",  # Eastern Europe, Turkey, the Caucasus
)
EUROPE: frozenset[str] = frozenset(code for group in _EUROPE_GROUPS for code in group.split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip().casefold()


@cache
def _translations() -> dict[str, str]:
    """Country names in every language pycountry ships (España, Deutschland, 中国), folded, to alpha-2.

    A name two countries share in some language is left out rather than guessed. Reading every language's
    catalogue takes half a second, so the table is kept in the cache folder, once per pycountry version.
    """
    kept = cache_dir() / f"country-names-pycountry{version('pycountry')}-v1.json"
    try:
        return dict(json.loads(kept.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    table = _read_translations()
    with suppress(OutputError):  # a cache that cannot be written only costs the time again
        replace_text(kept, json.dumps(table, ensure_ascii=False), force=True)
    return table


def _read_translations() -> dict[str, str]:
    import gettext

    folder = Path(pycountry.LOCALES_DIR)
    found: dict[str, set[str]] = {}
    for mo in folder.glob("*/LC_MESSAGES/iso3166-1.mo"):
        language = gettext.translation("iso3166-1", str(folder), languages=[mo.parent.parent.name])
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                if value := getattr(country, attr, None):
                    found.setdefault(_fold(language.gettext(value)), set()).add(country.alpha_2)
    return {name: next(iter(codes)) for name, codes in found.items() if len(codes) == 1}


@cache
def _lookup(text: str) -> str | None:
    folded = _fold(text)
    if folded in ALIASES:
        return ALIASES[folded]
    if folded.upper() == "XK":
        return "XK"
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    return _translations().get(folded) or _historic(text)


def _historic(text: str) -> str | None:
    """A country that no longer exists under that name (``Netherlands Antilles``: AN), from ISO 3166-3."""
    try:
        country = pycountry.historic_countries.lookup(text)
    except LookupError:
        return None
    return str(getattr(country, "alpha_2", "") or "") or None


def country_code(text: str | None) -> str | None:
    """ISO alpha-2 for a country as written (name, code, ``Region, Country``), or None if unknown."""
    if text is None or not str(text).strip():
        return None
    return _country_code(str(text).strip())


@lru_cache(maxsize=1 << 16)
def _country_code(text: str) -> str | None:  # a list names the same few hundred countries in every row
    candidates = [text, re.sub(r"\s*\(.*?\)\s*", " ", text).strip()]
    if "," in text:
        region, country = text.split(",", 1)[0], text.rsplit(",", 1)[1]
        territory = _lookup(region.strip())
        if territory in TERRITORIES and TERRITORIES[territory] == _lookup(country.strip()):
            return territory
        candidates += [country, region]  # "Scotland, United Kingdom"; "Korea, Republic of" is caught whole first
    for candidate in candidates:
        code = _lookup(candidate.strip()) if candidate.strip() else None
        if code:
            return code
    return None


@cache
def europe() -> frozenset[str]:
    """:data:`EUROPE`, or the codes in ``CITYGRAPH_EUROPE`` (comma- or space-separated) where it is set."""
    raw = os.environ.get("CITYGRAPH_EUROPE")
    if not raw or not raw.strip():
        return EUROPE
    return frozenset(code.strip().upper() for code in re.split(r"[,\s]+", raw) if code.strip())


def short_name(code: str) -> str:
    """The English short name of a country (``China``, ``South Africa``), for its bloc."""
    code = code.upper()
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_2=code) or pycountry.historic_countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name).split(",")[0]


def bloc_of(code: str) -> str:
    """``Europe`` for a European country, else the country's short name."""
    code = code.upper()
    return "Europe" if code in europe() else short_name(code)
