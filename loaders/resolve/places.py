"""Which place a name in a list means: the gazetteers first, then the graph, then the world's towns.

Authorities, in order:

1. the gazetteer (the bundled World Cities entities, plus ``--gazetteer FILE``);
2. places already in the graph (by name or alias, within the country);
3. the world gazetteer (GeoNames towns: canonical name, aliases, coordinates);
4. otherwise the place is kept as written, with the id of its name and country.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from citygraph.loaders.resolve.gazetteer import Gazetteer
from citygraph.loaders.resolve.world import Town, World, name_key
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


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer, graph_places: Iterable[Row] = (), world: World | None = None) -> None:
        self.gazetteer = gazetteer
        self.world = world
        self._graph: dict[tuple[str, str], str] = {}
        for row in graph_places:
            for name in (row["name"], *(row.get("aliases") or [])):
                self._graph.setdefault((row["country"] or "", name_key(name)), row["id"])

    def resolve(self, name: str, country: str, *, lat: float | None = None, lon: float | None = None,
                geonames: int | None = None) -> Resolved:
        """The place ``name`` in ``country`` means; coordinates or a GeoNames id pick among namesakes."""
        ent = self.gazetteer.lookup(name)
        if ent is not None and ent.label == "Place" and self.gazetteer.countries.get(ent.id) == country:
            return Resolved(ent.id, "gazetteer")
        known = self._graph.get((country, name_key(name)))
        if known is not None:
            return Resolved(known, "graph")
        town = self._town(name, country, lat, lon, geonames)
        if town is not None:
            return Resolved(town.id, "world", town_fields(town, name))
        place_id = f"{slugify(name)}-{country.lower()}"
        fields = {"id": place_id, "name": name, "kind": "City", "country": country,
                  "bloc": bloc_of_country(country), "lat": lat, "lon": lon, "geonames": geonames}
        return Resolved(place_id, "as written", {k: v for k, v in fields.items() if v is not None})

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


def town_fields(town: Town, written: str) -> dict[str, Any]:
    aliases = [written] if written != town.name else []
    aliases += [a for a in town.aliases if a not in aliases]
    return {"id": town.id, "name": town.name, "kind": "City", "country": town.country,
            "bloc": bloc_of_country(town.country), "lat": town.lat, "lon": town.lon, "geonames": town.geonames,
            "aliases": [a for a in aliases if a != town.name]}
