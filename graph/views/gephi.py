"""What Gephi reads from a places view beyond names: where, how big, what colour, since when.

An analysis view exported as it is opens in Gephi as a hairball with no
geography and no timeline. This module adds, on every node and edge:

- ``latitude`` / ``longitude`` (Gephi's Geo Layout reads them) where the
  place has coordinates;
- ``weight``: an edge's cooperations (as the view counts them), a node's
  sum over its edges (its strength);
- ``region``, ``color`` and ``size`` as plain attributes, and in GEXF also
  ``viz`` (colour by world region as the pages draw it, size by partners,
  position at the place's longitude and latitude), so the file opens drawn;
- ``first_date`` / ``last_date`` (the earliest and latest cooperation date
  behind an edge, and over a node's edges), and in GEXF ``start``, so
  Gephi's timeline plays the network as it grew. An edge has no ``end``:
  the data says when a cooperation began, not when it ended.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from citygraph.model.regions import REGIONS, region_of
from citygraph.query import catalog
from citygraph.store import Store

#: Size of a node with no partners, and the growth per square root of its partner count.
BASE_SIZE, SIZE_STEP = 4.0, 4.0
#: Degrees to GEXF position units (Gephi's canvas): 10 units per degree of longitude or latitude.
SCALE = 10.0


def decorate(store: Store, g: nx.Graph, *, viz: bool) -> None:
    """Add the attributes above to ``g`` (a places view, its edges holding their ``cooperations``)."""
    places = catalog.read(store, "place-coordinates")
    where = {r["id"]: (r["lat"], r["lon"]) for r in places if r["lat"] is not None and r["lon"] is not None}
    region = {r["id"]: region_of(r["country"]) for r in places}
    dates = {r["id"]: _day(r["date"]) for r in catalog.read(store, "cooperation-dates")}
    for *_, attrs in g.edges(data=True):
        _dated(attrs, [dates[c] for c in attrs.get("cooperations", ()) if c in dates], viz)
    for node, attrs in g.nodes(data=True):
        attrs["weight"] = sum(w for _, _, w in g.edges(node, data="weight", default=1))
        attrs["size"] = BASE_SIZE + SIZE_STEP * math.sqrt(g.degree(node))
        attrs["region"] = region.get(node, "Elsewhere")
        attrs["color"] = REGIONS[attrs["region"]]
        if node in where:
            attrs["latitude"], attrs["longitude"] = where[node]
        _dated(attrs, [d for _, _, e in g.edges(node, data=True) for d in (e.get("first_date"), e.get("last_date"))
                       if d], viz)
        if viz:
            attrs["viz"] = _viz(attrs, where.get(node))


def _dated(attrs: dict[str, Any], days: list[str], viz: bool) -> None:
    if days:
        attrs["first_date"], attrs["last_date"] = min(days), max(days)
        if viz:
            attrs["start"] = attrs["first_date"]


def _day(date: str) -> str:
    """``2017`` or ``2017-05`` as the first day it names (GEXF dates are whole days)."""
    return date + "-01-01"[len(date) - 4:] if len(date) < 10 else date


def _viz(attrs: dict[str, Any], at: tuple[float, float] | None) -> dict[str, Any]:
    colour = attrs["color"].lstrip("#")
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    out: dict[str, Any] = {"size": attrs["size"], "color": {"r": r, "g": g, "b": b, "a": 1.0}}
    if at:
        out["position"] = {"x": at[1] * SCALE, "y": at[0] * SCALE, "z": 0.0}
    return out
