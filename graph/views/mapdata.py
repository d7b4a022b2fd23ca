"""What the map draws: the places view with coordinates, its links, and the places it cannot place.

Both the static map (:mod:`citygraph.views.worldmap`) and the page
(:mod:`citygraph.views.mappage`) draw this. The base map is Natural Earth's
1:110m land outline, shipped with the package (``citygraph.data``). Places
are sized by the number of partners they have in other blocs (what makes
Chengdu and Shantou hubs); a place without coordinates is listed beside the
map, never dropped silently.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import networkx as nx

from citygraph.analysis import analytics
from citygraph.core.errors import ConfigError
from citygraph.core.resources import resource_dir
from citygraph.model.regions import region_of
from citygraph.query import catalog
from citygraph.store import Store

#: Points along each great-circle arc.
ARC_STEPS = 24


@dataclass
class MapData:
    """What the map draws: places with coordinates, links between them, and the places it cannot place."""

    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


@cache
def land_rings() -> list[list[list[float]]]:
    return list(json.loads((resource_dir("data") / "world-land-110m.json").read_text(encoding="utf-8"))["rings"])


def map_data(store: Store, *, focus: str | None = None, channel: str | None = None,
             bloc: str | None = None, only: Collection[str] | None = None) -> MapData:
    """The places view with coordinates; ``focus`` keeps one place and its partners, ``channel`` one channel,
    ``bloc`` the links that touch a place of that bloc (any case), ``only`` these places (ids) and the links
    between them."""
    g = analytics.project(store, "places")
    if only is not None:
        g = g.subgraph(set(only)).copy()
    coords = {r["id"]: r for r in catalog.read(store, "place-coordinates")}
    if bloc:
        known = {b for _, b in g.nodes(data="bloc")}
        if bloc.lower() not in {b.lower() for b in known}:
            raise ConfigError(f"{bloc!r}: no such bloc in the graph; known: {', '.join(sorted(known))}", option="bloc")
        g.remove_edges_from([(a, b) for a, b in list(g.edges)
                             if bloc.lower() not in (g.nodes[a]["bloc"].lower(), g.nodes[b]["bloc"].lower())])
    if channel:
        g.remove_edges_from([(a, b) for a, b, d in g.edges(data=True) if channel not in d["channels"]])
    if focus:
        found = analytics.find(g, focus)
        if not found:
            raise ConfigError(f"{focus!r}: no place of that id or name has a cooperation", option="focus")
        keep = set(found).union(*(set(g[n]) for n in found))
        g = g.subgraph(keep).copy()
        g.remove_edges_from([(a, b) for a, b in list(g.edges) if a not in found and b not in found])
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    return _placed(g, coords)


def _placed(g: nx.Graph, coords: dict[str, dict[str, Any]]) -> MapData:
    data = MapData()
    for node, attrs in g.nodes(data=True):
        c = coords.get(node)
        if not c or c["lat"] is None or c["lon"] is None:
            data.unplaced.append(attrs["name"])
            continue
        others = sum(g.nodes[n]["bloc"] != attrs["bloc"] for n in g[node])
        data.places[node] = {"id": node, "name": attrs["name"], "bloc": attrs["bloc"], "lat": c["lat"],
                             "lon": c["lon"], "aliases": c["aliases"] or [], "partners": others,
                             "degree": g.degree(node), "region": region_of(c.get("country"))}
    for a, b, d in g.edges(data=True):
        if a in data.places and b in data.places:
            channels = sorted(d["channels"])
            data.links.append({"a": a, "b": b, "channels": channels, "weight": d["weight"],
                               "channel": channels[0] if len(channels) == 1 else "several"})
    data.unplaced.sort()
    return data


def great_circle(a: dict[str, Any], b: dict[str, Any], steps: int = ARC_STEPS) -> list[tuple[float, float]]:
    """Points (lon, lat) along the shortest path on the sphere from ``a`` to ``b``."""
    def vec(p: dict[str, Any]) -> tuple[float, float, float]:
        lat, lon = math.radians(p["lat"]), math.radians(p["lon"])
        return math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)

    va, vb = vec(a), vec(b)
    omega = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb)))))
    if omega < 1e-9:
        return [(a["lon"], a["lat"]), (b["lon"], b["lat"])]
    points = []
    for i in range(steps + 1):
        t = i / steps
        k1, k2 = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
        x, y, z = (k1 * p + k2 * q for p, q in zip(va, vb))
        points.append((math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))))
    return points
