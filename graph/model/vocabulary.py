"""The knowledge model's vocabulary: the one place that spells a label.

Loaders, the query catalog, the exporters and the renderer import these
names; identifiers that end up inside Cypher (labels, relationship types,
property keys) are checked against this module and backticked by
:func:`label` / :func:`rel_type`, never taken from input as they are.
"""

from __future__ import annotations

import re
from enum import StrEnum

from anyascii import anyascii

# --- node labels -----------------------------------------------------------
PLACE = "Place"
ORGANISATION = "Organisation"
PILOT_PROJECT = "PilotProject"
COOPERATION = "Cooperation"
SECTOR = "Sector"
AGREEMENT = "Agreement"
EVENT = "Event"
PERSON = "Person"
SOURCE = "Source"
PROGRAMME = "Programme"
COUNTRY = "Country"

#: Labels that carry a unique ``id`` (a slug, unique per label).
NODE_LABELS: tuple[str, ...] = (
    PLACE,
    ORGANISATION,
    PILOT_PROJECT,
    COOPERATION,
    SECTOR,
    AGREEMENT,
    EVENT,
    PERSON,
    SOURCE,
    PROGRAMME,
)

#: Exactly one of these sits beside ``Place``.
PLACE_KINDS: tuple[str, ...] = ("City", "Region", "Country")

#: Exactly one of these sits beside ``Organisation`` (and in its ``kind``).
ORGANISATION_KINDS: tuple[str, ...] = (
    "Company",
    "University",
    "Cluster",
    "Port",
    "PublicBody",
    "Association",
    "ResearchInstitute",
    "School",
    "Fund",
    "Chamber",
)

KIND_LABELS: tuple[str, ...] = PLACE_KINDS + ORGANISATION_KINDS

#: A place with at least one partner place (kept by :mod:`citygraph.upkeep.partners`): hubs and bridges rank
#: only these, instead of reading every place's counts.
PARTNERED = "Partnered"
#: Labels every citygraph write derives again, as :data:`DERIVED_TYPES` (below) are relationships.
DERIVED_LABELS: tuple[str, ...] = (PARTNERED,)
ALL_LABELS: tuple[str, ...] = NODE_LABELS + KIND_LABELS + DERIVED_LABELS

# --- relationship types -----------------------------------------------------
LOCATED_IN = "LOCATED_IN"
PART_OF = "PART_OF"
HAS_PARTNER = "HAS_PARTNER"
UNDER = "UNDER"
INVOLVES = "INVOLVES"
IN_SECTOR = "IN_SECTOR"
SIGNED_BY = "SIGNED_BY"
ABOUT = "ABOUT"
CITED_IN = "CITED_IN"
COOPERATES_WITH = "COOPERATES_WITH"
IN_PROGRAMME = "IN_PROGRAMME"
CONCERNS = "CONCERNS"
WORKS_FOR = "WORKS_FOR"
#: Derived: a pilot partner to each place it reaches (:mod:`citygraph.upkeep.reach`), what hubs and bridges read.
REACHES = "REACHES"
#: Derived: two places of different blocs, both parties, that a cooperation or a pilot joins, directly or through
#: their organisations and sub-places (:mod:`citygraph.upkeep.partners`), once per pair: what hubs and bridges read.
PARTNERS_WITH = "PARTNERS_WITH"

REL_TYPES: tuple[str, ...] = (
    LOCATED_IN,
    PART_OF,
    HAS_PARTNER,
    UNDER,
    INVOLVES,
    IN_SECTOR,
    SIGNED_BY,
    ABOUT,
    CITED_IN,
    COOPERATES_WITH,
    IN_PROGRAMME,
    CONCERNS,
    WORKS_FOR,
    REACHES,
    PARTNERS_WITH,
)

#: Relationship types every citygraph write derives again from the others (:mod:`citygraph.upkeep`): no fact
#: rests on them, so they keep no node alive.
DERIVED_TYPES: tuple[str, ...] = (REACHES, PARTNERS_WITH)

#: A place that is itself a party (set by the writer; hubs and bridges list only these).
PARTY = "party"
#: Kept on every place that is a party (:mod:`citygraph.upkeep.partners`): the blocs of its PARTNERS_WITH places
#: in alphabetical order; in the same order, how many partner places it has in each; and their names, bloc by
#: bloc, by name within each (empty lists where it has none).
PARTNER_BLOCS = "partner_blocs"
PARTNER_COUNTS = "partner_counts"
PARTNER_NAMES = "partner_names"
PARTNER_KEYS: tuple[str, ...] = (PARTNER_BLOCS, PARTNER_COUNTS, PARTNER_NAMES)

#: Relationship types whose MERGE pattern carries a key property, so that two
#: facts between the same endpoints stay two relationships.
#: One Source node per document; each CITED_IN carries its locator (``source``: ``document:lines``), its key.
REL_MERGE_KEYS: dict[str, str] = {COOPERATES_WITH: "cooperation", HAS_PARTNER: "side", CITED_IN: "source",
                                  REACHES: "side"}


class Bloc(StrEnum):
    """Blocs the World Cities programmes name; any partner country is a bloc of its own name
    (see :func:`citygraph.model.countries.bloc_of`)."""

    EUROPE = "Europe"
    CHINA = "China"
    INDIA = "India"


class Channel(StrEnum):
    PORT = "port"
    UNIVERSITY = "university"
    RESEARCH = "research"
    CLUSTER = "cluster"
    TOURISM = "tourism"
    BUSINESS = "business"
    GOVERNMENT = "government"
    EVENT = "event"
    EDUCATION = "education"
    TWINNING = "twinning"


class AgreementStatus(StrEnum):
    SIGNED = "signed"
    IN_PREPARATION = "in_preparation"
    INTENDED = "intended"


class CooperationStatus(StrEnum):
    ONGOING = "ongoing"
    PLANNED = "planned"
    PROPOSED = "proposed"
    COMPLETED = "completed"
    INTENDED = "intended"


class Programme(StrEnum):
    EU_CHINA = "EU-China"
    EU_INDIA = "EU-India"


#: Sector id -> display name.
SECTORS: dict[str, str] = {
    "smart-city": "smart city",
    "green-technology": "green technology",
    "health-biotech": "health & biotech",
    "tourism": "tourism",
    "ports-logistics": "ports & logistics",
    "aerospace": "aerospace",
    "automotive-industry": "automotive & industry",
    "education-research": "education & research",
    "waste": "waste",
    "water-sewage": "water & sewage",
    "energy-efficiency": "energy efficiency",
    "urban-development": "urban development",
    "climate": "climate",
    "mobility": "mobility",
    "culture-film": "culture & film",
    "ict": "ICT & digital",
    "trade": "trade & investment",
}

def bloc_of_country(code: str) -> str:
    """The bloc of a place in the country ``code``: ``Europe``, or the partner country's short name."""
    from citygraph.model.countries import bloc_of  # pycountry, imported where a bloc is asked for

    return bloc_of(code)


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _checked(name: str, allowed: tuple[str, ...], what: str) -> str:
    if name not in allowed or not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a {what} of the citygraph model")
    return f"`{name}`"


def label(name: str) -> str:
    """A node label from the vocabulary, backticked for Cypher."""
    return _checked(name, ALL_LABELS, "node label")


def rel_type(name: str) -> str:
    """A relationship type from the vocabulary, backticked for Cypher."""
    return _checked(name, REL_TYPES, "relationship type")


def property_key(name: str) -> str:
    """A property key, backticked; keys are plain identifiers only."""
    if not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a valid property key")
    return f"`{name}`"


_SLUG = re.compile(r"[^a-z0-9]+")


class _Transliteration(dict[int, str]):
    """anyascii one code point at a time, each looked up once, so ``str.translate`` runs at C speed (anyascii maps
    code point by code point too); ``apart`` puts CJK syllables apart (汕头 → Shan Tou)."""

    def __init__(self, apart: bool) -> None:
        super().__init__()
        self.apart = apart

    def __missing__(self, code: int) -> str:
        value = anyascii(chr(code))
        value = self[code] = f" {value} " if self.apart and code >= 0x2E80 else value
        return value


#: Code point -> its ASCII (:func:`anyascii`), for ``str.translate``.
ASCII = _Transliteration(apart=False)
_SLUG_ASCII = _Transliteration(apart=True)


def _transliterate(text: str) -> str:
    """ASCII keeping every letter (Łódź → Lodz, Straße → Strasse); CJK syllables apart (汕头 → Shan Tou)."""
    return text if text.isascii() else text.translate(_SLUG_ASCII)


def slugify(text: str) -> str:
    """A stable id from a name: lower case ASCII words joined by '-', every letter kept."""
    slug = _SLUG.sub("-", _transliterate(text).lower()).strip("-")
    if slug:
        return slug
    # Names of symbols only still need a stable id.
    return "u-" + "-".join(f"{ord(ch):x}" for ch in text.strip())[:60]
