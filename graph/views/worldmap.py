"""A map of the cooperation network: places at their coordinates, cooperations as great-circle arcs.

Offline: the base map is Natural Earth's 1:110m land outline, shipped with
the package (``citygraph.data/world-land-110m.json``). The drawing is one
SVG made here (an equirectangular projection fitted to the places, with a
margin), so the static map (``--format svg``) and the page (``--format
html``: the same SVG with search, channel filters and a details panel) show
the same thing. Places are sized by the number of partners they have in
other blocs (what makes Chengdu and Shantou hubs); a place without
coordinates is listed beside the map, never dropped silently.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from citygraph.core.errors import ConfigError
from citygraph.core.outputs import MARK, replace_file, replace_text
from citygraph.store import Store
from citygraph.views.mapdata import MapData, great_circle, land_rings, map_data
from citygraph.views.palette import CHANNEL_COLOURS, bloc_colours

WIDTH = 1200
#: Degrees of longitude and latitude around the places.
MARGIN = 8.0
FORMATS = ("html", "svg", "png")
SEA, LAND, COAST = "#eaf2f8", "#f4f1e8", "#b9b39f"
#: Up to this many places every one is labelled; above, only those with two or more partners in other blocs.
LABEL_ALL = 12
#: The colour of a link that carries several channels.
SEVERAL = "#555555"


@dataclass(frozen=True)
class Projection:
    """Equirectangular, fitted to a box of longitudes and latitudes, ``WIDTH`` pixels wide."""

    west: float
    east: float
    south: float
    north: float

    @classmethod
    def around(cls, places: list[dict[str, Any]]) -> Projection:
        if not places:
            return cls(-180, 180, -60, 85)
        lons, lats = [p["lon"] for p in places], [p["lat"] for p in places]
        west, east = max(-180.0, min(lons) - MARGIN), min(180.0, max(lons) + MARGIN)
        south, north = max(-85.0, min(lats) - MARGIN), min(85.0, max(lats) + MARGIN)
        if east - west < 40:  # a few nearby places: still show a region, not a street
            mid = (east + west) / 2
            west, east = mid - 20, mid + 20
        if north - south < 20:
            mid = (north + south) / 2
            south, north = mid - 10, mid + 10
        return cls(west, east, south, north)

    @property
    def scale(self) -> float:
        return WIDTH / (self.east - self.west)

    @property
    def height(self) -> int:
        return round((self.north - self.south) * self.scale)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return round((lon - self.west) * self.scale, 1), round((self.north - lat) * self.scale, 1)


def _land_strokes(proj: Projection) -> list[list[tuple[float, float]]]:
    """The land outline in pixels; a ring's step across the antimeridian starts a new stroke, not a line across."""
    strokes: list[list[tuple[float, float]]] = []
    for ring in land_rings():
        for i, (lon, lat) in enumerate(ring):
            if i == 0 or abs(lon - ring[i - 1][0]) > 180:
                strokes.append([])
            strokes[-1].append(proj.xy(lon, lat))
    return strokes


@dataclass
class Drawing:
    """The map in pixels, for any renderer: land, arcs (widest last), circles (largest first), labels."""

    width: int
    height: int
    land: list[list[tuple[float, float]]]
    arcs: list[dict[str, Any]]
    circles: list[dict[str, Any]]


def drawing(data: MapData) -> Drawing:
    curves = {(lk["a"], lk["b"]): great_circle(data.places[lk["a"]], data.places[lk["b"]]) for lk in data.links}
    points = [*data.places.values(), *({"lon": lon, "lat": lat} for c in curves.values() for lon, lat in c)]
    proj = Projection.around(points)
    arcs = []
    for link in sorted(data.links, key=lambda lk: lk["weight"]):
        a, b = data.places[link["a"]], data.places[link["b"]]
        arcs.append({**link, "points": [proj.xy(lon, lat) for lon, lat in curves[(link["a"], link["b"])]],
                     "colour": CHANNEL_COLOURS.get(link["channel"], SEVERAL), "width": min(1 + link["weight"], 5),
                     "title": f"{a['name']} – {b['name']}: {', '.join(link['channels'])} "
                              f"({link['weight']} cooperation(s))"})
    colours = bloc_colours([p["bloc"] for p in data.places.values()])
    taken: list[tuple[float, float, float, float]] = []
    circles = []
    for p in sorted(data.places.values(), key=lambda p: (-p["partners"], p["name"])):
        x, y = proj.xy(p["lon"], p["lat"])
        radius = 3 + 2.5 * math.sqrt(p["partners"])
        circles.append({**p, "x": x, "y": y, "r": round(radius, 1), "colour": colours[p["bloc"]],
                        "label": _label(p, x + radius + 2, y + 4, taken, len(data.places) <= LABEL_ALL)})
    return Drawing(WIDTH, proj.height, _land_strokes(proj), arcs, circles)


def svg(data: MapData) -> str:
    """The map as one SVG document: land, arcs coloured by channel, places sized by partners in other blocs."""
    d = drawing(data)
    land = "".join("M" + "L".join(f"{x},{y}" for x, y in stroke) + "Z" for stroke in d.land)
    out = [f"<!-- {MARK} -->",
           f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {d.width} {d.height}" width="{d.width}" '
           f'height="{d.height}" font-family="Noto Sans, Noto Sans CJK SC, Noto Sans Devanagari, sans-serif">',
           f'<rect width="{d.width}" height="{d.height}" fill="{SEA}"/>',
           f'<path d="{land}" fill="{LAND}" stroke="{COAST}" stroke-width="0.6" fill-rule="evenodd"/>']
    for arc in d.arcs:
        out.append(f'<path class="arc" data-a="{_attr(arc["a"])}" data-b="{_attr(arc["b"])}" '
                   f'data-channels="{_attr(" ".join(arc["channels"]))}" d="M'
                   + "L".join(f"{x},{y}" for x, y in arc["points"])
                   + f'" fill="none" stroke="{arc["colour"]}" stroke-width="{arc["width"]}" stroke-opacity="0.7">'
                   f'<title>{html.escape(arc["title"])}</title></path>')
    for c in d.circles:
        names = " / ".join([c["name"], *c["aliases"]])
        label = c["label"]
        text = (f'<text x="{label[0]}" y="{label[1]}" font-size="12">{html.escape(c["name"])}</text>'
                if label else "")
        title = html.escape(f"{names} ({c['bloc']}): {c['partners']} partner(s) in other blocs")
        out.append(f'<g class="place" data-id="{_attr(c["id"])}" data-bloc="{_attr(c["bloc"])}" '
                   f'data-names="{_attr(names)}">'
                   f'<circle cx="{c["x"]}" cy="{c["y"]}" r="{c["r"]}" fill="{c["colour"]}" stroke="#ffffff" '
                   f'stroke-width="1"/><title>{title}</title>{text}</g>')
    out.append("</svg>")
    return "\n".join(out)


def write_png(data: MapData, out: Path, dpi: int = 100) -> None:
    """The same drawing as a PNG (matplotlib: ``pip install 'citygraph[notebooks]'``)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ConfigError("png needs matplotlib (pip install 'citygraph[notebooks]'); svg needs nothing",
                          option="format") from None
    d = drawing(data)
    fig = plt.figure(figsize=(d.width / dpi, d.height / dpi), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, d.width)
    ax.set_ylim(d.height, 0)
    ax.set_axis_off()
    ax.add_patch(plt.Rectangle((0, 0), d.width, d.height, color=SEA, zorder=0))
    for stroke in d.land:
        ax.add_patch(plt.Polygon(stroke, closed=True, facecolor=LAND, edgecolor=COAST, linewidth=0.6, zorder=1))
    for arc in d.arcs:
        xs, ys = zip(*arc["points"])
        ax.plot(xs, ys, color=arc["colour"], linewidth=arc["width"] * 0.75, alpha=0.7, zorder=2)
    for c in reversed(d.circles):
        ax.add_patch(plt.Circle((c["x"], c["y"]), c["r"], facecolor=c["colour"], edgecolor="white", zorder=3))
        if c["label"]:
            ax.text(c["label"][0], c["label"][1], c["name"], fontsize=9, zorder=4)
    fig.savefig(out, dpi=dpi, format="png", metadata={"Software": MARK})
    plt.close(fig)


def _label(p: dict[str, Any], x: float, y: float, taken: list[tuple[float, float, float, float]],
           every: bool) -> tuple[float, float] | None:
    """Where a place's name goes, unless it is minor on a busy map or would cover a label already placed."""
    box = (x, y - 12, x + 7 * len(p["name"]), y + 3)
    if not (every or p["partners"] >= 2) or any(
            box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
        return None
    taken.append(box)
    return (round(x, 1), round(y, 1))


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def page(data: MapData) -> str:
    """The SVG inside a page with search, channel filters, a legend and the places it could not place."""
    template = (files("citygraph") / "templates" / "map.html").read_text(encoding="utf-8")
    channels = sorted({c for link in data.links for c in link["channels"]})
    legend = {"channels": {c: CHANNEL_COLOURS.get(c, SEVERAL) for c in channels},
              "several": SEVERAL if any(lk["channel"] == "several" for lk in data.links) else None,
              "blocs": bloc_colours([p["bloc"] for p in data.places.values()]),
              "unplaced": data.unplaced}
    return (template.replace("{{ svg }}", svg(data))
            .replace("{{ legend }}", json.dumps(legend, ensure_ascii=False).replace("</", "<\\/")))


def write_map(store: Store, out: Path, *, fmt: str = "html", focus: str | None = None,
              channel: str | None = None, bloc: str | None = None, force: bool = False) -> tuple[Path, MapData]:
    """Write the map page (or the static SVG or PNG) to ``out``; the data drawn, for the caller to report."""
    if fmt not in FORMATS:
        raise ConfigError(f"{fmt!r}: one of {', '.join(FORMATS)}", option="format")
    data = map_data(store, focus=focus, channel=channel, bloc=bloc)
    if fmt == "png":
        return replace_file(out, lambda tmp: write_png(data, tmp), force=force), data
    return replace_text(out, page(data) if fmt == "html" else svg(data), force=force), data
