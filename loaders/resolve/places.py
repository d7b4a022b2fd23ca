"""Which place a name in a list means: the gazetteers first, then the graph, then the world's towns.

Authorities, in order:

1. the gazetteer (the bundled World Cities entities, plus ``--gazetteer FILE``);
2. places already in the graph (by name or alias, within the country);
3. the world gazetteer (GeoNames towns: canonical name, aliases, coordinates);
4. otherwise the place is kept as written, with the id of its name and country.

A ``Town, Region`` or ``Town, Country`` name (:mod:`citygraph.loaders.resolve.qualified`)
is looked up as its town within that region or country, and the name as
written stays an alias. A name given without a country is looked up
worldwide: the gazetteers and the graph first, then the most populous of the
world's towns of that name, with a ``review`` note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from citygraph.loaders.resolve.gazetteer import Gazetteer
from citygraph.loaders.resolve.qualified import Reading, readings
from citygraph.loaders.resolve.world import NEAR_KM, Town, World, km, name_key
from citygraph.model.vocabulary import bloc_of_country, slugify
from citygraph.store import Row


class PlaceProblem(ValueError):
    """A place a row names cannot be what the row says (a GeoNames id in another country)."""


@dataclass(frozen=True)
class Resolved:
    """A place's id, and its fields when this load defines it (``found_in``: gazetteer, graph, world, as written)."""

    id: str
    found_in: str
    fields: dict[str, Any] | None = None
    without_country: bool = False  # no country was given: found worldwide, or by the name's own qualifier


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer, graph_places: Iterable[Row] = (), world: World | None = None) -> None:
        self.gazetteer = gazetteer
        self.world = world
        self._graph: dict[tuple[str, str], str] = {}
        self._graph_anywhere: dict[str, str] = {}
        self._memo: dict[tuple[str, str], Resolved] = {}
        for row in graph_places:
            for name in (row["name"], *(row.get("aliases") or [])):
                self._graph.setdefault((row["country"] or "", name_key(name)), row["id"])
                self._graph_anywhere.setdefault(name_key(name), row["id"])

    def resolve(self, name: str, country: str, *, lat: float | None = None, lon: float | None = None,
                geonames: int | None = None) -> Resolved:
        """The place ``name`` in ``country`` means; coordinates or a GeoNames id pick among namesakes. A name and
        country alone are resolved once per reader (a list names each town in several rows)."""
        if lat is not None or lon is not None or geonames is not None:
            return self._resolve(name, country, lat, lon, geonames)
        found = self._memo.get((name, country))
        if found is None:
            found = self._memo[(name, country)] = self._resolve(name, country, None, None, None)
        return _copy(found)

    def _resolve(self, name: str, country: str, lat: float | None, lon: float | None,
                 geonames: int | None) -> Resolved:
        ent = self.gazetteer.lookup(name)
        if ent is not None and ent.label == "Place" and self.gazetteer.countries.get(ent.id) == country:
            return Resolved(ent.id, "gazetteer")
        known = self._graph.get((country, name_key(name)))
        if known is not None:
            return Resolved(known, "graph")
        town = self._town(name, country, lat, lon, geonames)
        if town is not None:
            return Resolved(town.id, "world", town_fields(town, name))
        reading = next((r for r in readings(name) if r.country == country), None)
        if reading is not None:  # "Hayward, California" in the US: the town within its division
            return self.resolve_reading(reading, name, lat, lon)
        return as_written(name, country, lat, lon, geonames)

    def resolve_reading(self, reading: Reading, written: str, lat: float | None = None,
                        lon: float | None = None) -> Resolved:
        """The town of one reading of a qualified name: the gazetteer's place of that name in that country
        (``Lyon, France`` is the gazetteer's Lyon, as ``Lyon`` in a France column is), else the world's town,
        else the graph's, else the town kept as written (the name as written an alias)."""
        ent = self.gazetteer.lookup(reading.town) if reading.division is None else None
        if ent is not None and ent.label == "Place" and self.gazetteer.countries.get(ent.id) == reading.country:
            return Resolved(ent.id, "gazetteer")
        if self.world is not None:
            town = self.world.find(reading.town, reading.country, lat=lat, lon=lon, division=reading.division)
            if town is not None:
                return Resolved(town.id, "world", town_fields(town, written))
        known = self._graph.get((reading.country, name_key(reading.town)))
        if known is not None:
            return Resolved(known, "graph")
        place = as_written(reading.town, reading.country, lat, lon, None)
        assert place.fields is not None
        place.fields["aliases"] = [written]
        return place

    def resolve_anywhere(self, name: str, *, lat: float | None = None, lon: float | None = None,
                         geonames: int | None = None) -> Resolved:
        """The place ``name`` means where no country is given: a known place of that name, the town its own
        qualifier places, or the most populous town of that name in the world (to review)."""
        ent = self.gazetteer.lookup(name)
        if ent is not None and ent.label == "Place":
            return Resolved(ent.id, "gazetteer", without_country=True)
        known = self._graph_anywhere.get(name_key(name))
        if known is not None:
            return Resolved(known, "graph", without_country=True)
        if geonames is not None and self.world is not None and (town := self.world.by_id(geonames)):
            return Resolved(town.id, "world", town_fields(town, name), without_country=True)
        whole = [t for t in self.world.anywhere(name) if "," in t.name and name_key(t.name) == name_key(name)] \
            if self.world else []
        if whole:  # a town whose own name has a comma ("Las Vegas, Santa Barbara"): not split
            return Resolved(whole[0].id, "world", town_fields(whole[0], name), without_country=True)
        options = readings(name)
        found = [self.resolve_reading(r, name, lat, lon) for r in options]
        if found:  # the first reading in which the town is found, else the shortest town kept as written
            shortest = min(range(len(options)), key=lambda i: len(options[i].town))
            best = next((r for r in found if r.found_in != "as written"), found[shortest])
            return Resolved(best.id, best.found_in, best.fields, without_country=True)
        return self._anywhere(name, lat, lon)

    def _anywhere(self, name: str, lat: float | None, lon: float | None) -> Resolved:
        towns = self.world.anywhere(name) if self.world is not None else []
        if lat is not None and lon is not None:
            towns = [t for t in towns if km(lat, lon, t.lat, t.lon) <= NEAR_KM]
        if not towns:
            raise PlaceProblem(f"no country is given for {name!r} and no town of that name was found anywhere: "
                               "add a country column, or write it 'Town, Country'")
        town = towns[0]
        fields = town_fields(town, name)
        others = len({t.country for t in towns}) - 1
        fields["review"] = (f"no country given: {town.name} ({town.country}), the most populous town of that name, "
                            f"is assumed" + (f"; namesakes in {others} other countries" if others else ""))
        return Resolved(town.id, "world", fields, without_country=True)

    def _town(self, name: str, country: str, lat: float | None, lon: float | None,
              geonames: int | None) -> Town | None:
        if self.world is None:
            return None
        if geonames is not None:
            town = self.world.by_id(geonames)
            if town is not None and town.country != country:
                raise PlaceProblem(f"GeoNames id {geonames} is {town.name} in {town.country}, not in {country}")
            return town
        return self.world.find(name, country, lat=lat, lon=lon)


def _copy(found: Resolved) -> Resolved:
    """A resolution whose fields the caller may change (its lists too) without changing the one kept."""
    if found.fields is None:
        return found
    fields = {k: list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v
              for k, v in found.fields.items()}
    return replace(found, fields=fields)


def as_written(name: str, country: str, lat: float | None, lon: float | None, geonames: int | None) -> Resolved:
    """A place found nowhere, kept as the file writes it, with the id of its name and country."""
    place_id = f"{slugify(name)}-{country.lower()}"
    fields = {"id": place_id, "name": name, "kind": "City", "country": country,
              "bloc": bloc_of_country(country), "lat": lat, "lon": lon, "geonames": geonames}
    return Resolved(place_id, "as written", {k: v for k, v in fields.items() if v is not None})


def town_fields(town: Town, written: str) -> dict[str, Any]:
    aliases = [written] if written != town.name else []
    aliases += [a for a in town.aliases if a not in aliases]
    return {"id": town.id, "name": town.name, "kind": "City", "country": town.country,
            "bloc": bloc_of_country(town.country), "lat": town.lat, "lon": town.lon, "geonames": town.geonames,
            "aliases": [a for a in aliases if a != town.name]}
