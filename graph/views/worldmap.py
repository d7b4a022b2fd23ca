"""The static map: places at their coordinates, cooperations as great-circle arcs, as SVG or PNG.

An equirectangular projection fitted to the places, with a margin, over
Natural Earth's land outline; places coloured by world region and sized by
their partners in other blocs; a title and a legend (regions and channels)
for a printed report. ``--format html`` writes the page to explore instead
(:mod:`citygraph.views.mappage`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citygraph.core.errors import ConfigError
from citygraph.core.outputs import MARK, replace_file, replace_text
from citygraph.model.regions import REGIONS
from citygraph.store import Store
from citygraph.views.mapdata import MapData, great_circle, land_rings, map_data
from citygraph.views.palette import CHANNEL_COLOURS

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
    """The map in pixels, for any renderer: land, arcs (widest last), circles (largest first), labels, and
    the title and legend (regions and channels present, each with its colour) a printed map needs."""

    width: int
    height: int
    land: list[list[tuple[float, float]]]
    arcs: list[dict[str, Any]]
    circles: list[dict[str, Any]]
    title: str = ""
    legend: list[tuple[str, str, str]] = field(default_factory=list)  # (kind: region|channel, name, colour)


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
    taken: list[tuple[float, float, float, float]] = []
    circles = []
    most = max((p["partners"] for p in data.places.values()), default=1) or 1
    for p in sorted(data.places.values(), key=lambda p: (-p["partners"], p["name"])):
        x, y = proj.xy(p["lon"], p["lat"])
        radius = 3 + 13 * math.sqrt(p["partners"] / most)  # 3 to 16 px, as the page draws them: hubs stand out
        circles.append({**p, "x": x, "y": y, "r": round(radius, 1), "colour": REGIONS[p["region"]],
                        "label": _label(p, x + radius + 2, y + 4, taken, len(data.places) <= LABEL_ALL)})
    title = (f"Cooperation map: {len(data.places):,} places, {len(data.links):,} links "
             "(circle size: partners in other blocs)")
    return Drawing(WIDTH, proj.height, _land_strokes(proj), arcs, circles, title, _legend(data))


def _legend(data: MapData) -> list[tuple[str, str, str]]:
    regions = {p["region"] for p in data.places.values()}
    channels = sorted({lk["channel"] for lk in data.links})
    return ([("region", r, c) for r, c in REGIONS.items() if r in regions]
            + [("channel", ch, CHANNEL_COLOURS.get(ch, SEVERAL)) for ch in channels])


def _legend_items(d: Drawing) -> list[tuple[float, float, str, str, str]]:
    """(x, y, kind, name, colour) of each legend entry, in rows along the bottom of the map."""
    out, x, y = [], 10.0, d.height - 14.0 * (1 + _legend_rows(d))
    for kind, name, colour in d.legend:
        step = 26 + 7 * len(name)
        if x + step > d.width - 10:
            x, y = 10.0, y + 14
        out.append((x, y, kind, name, colour))
        x += step
    return out


def _legend_rows(d: Drawing) -> int:
    width = sum(26 + 7 * len(name) for _, name, _ in d.legend)
    return int(width // (d.width - 20))


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
    out += _svg_frame(d)
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


def _svg_frame(d: Drawing) -> list[str]:
    """The title (top left) and the legend (bottom), on white so they read over land and arcs."""
    rows = 1 + _legend_rows(d)
    out = [f'<rect x="4" y="4" width="{8 + 7 * len(d.title)}" height="22" fill="#ffffff" fill-opacity="0.85"/>',
           f'<text x="10" y="20" font-size="14" font-weight="bold">{html.escape(d.title)}</text>',
           f'<rect x="4" y="{d.height - 14 * rows - 24}" width="{d.width - 8}" height="{14 * rows + 20}" '
           'fill="#ffffff" fill-opacity="0.85"/>']
    for x, y, kind, name, colour in _legend_items(d):
        mark = (f'<circle cx="{x + 6}" cy="{y - 4}" r="5" fill="{colour}"/>' if kind == "region" else
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 14}" y2="{y - 4}" stroke="{colour}" stroke-width="3"/>')
        out.append(f'<g class="legend">{mark}<text x="{x + 18}" y="{y}" font-size="11">{html.escape(name)}</text></g>')
    return out


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
    _png_frame(ax, d)
    fig.savefig(out, dpi=dpi, format="png", metadata={"Software": MARK})
    plt.close(fig)


def _png_frame(ax: Any, d: Drawing) -> None:
    """The title and legend on the PNG, as :func:`_svg_frame` draws them on the SVG."""
    box = {"facecolor": "white", "alpha": 0.85, "edgecolor": "none"}
    ax.text(10, 20, d.title, fontsize=11, fontweight="bold", zorder=5, bbox=box)
    for x, y, kind, name, colour in _legend_items(d):
        if kind == "region":
            ax.plot([x + 6], [y - 4], "o", color=colour, markersize=7, zorder=5)
        else:
            ax.plot([x, x + 14], [y - 4, y - 4], color=colour, linewidth=3, zorder=5)
        ax.text(x + 18, y, name, fontsize=8, zorder=5, bbox=box)


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


def write_map(store: Store, out: Path, *, fmt: str = "html", focus: str | None = None,
              channel: str | None = None, bloc: str | None = None, force: bool = False) -> tuple[Path, MapData]:
    """Write the map page (or the static SVG or PNG) to ``out``; the data drawn, for the caller to report."""
    if fmt not in FORMATS:
        raise ConfigError(f"{fmt!r}: one of {', '.join(FORMATS)}", option="format")
    data = map_data(store, focus=focus, channel=channel, bloc=bloc)
    if fmt == "png":
        return replace_file(out, lambda tmp: write_png(data, tmp), force=force), data
    if fmt == "html":
        from citygraph.views.mappage import page

        return replace_text(out, page(data), force=force), data
    return replace_text(out, svg(data), force=force), data
