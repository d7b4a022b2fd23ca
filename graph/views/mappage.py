"""The map as a page to explore: deck.gl (WebGL) draws the land, the arcs and the places, offline.

The page inlines deck.gl's browser bundle as the ``pydeck`` package ships it
(``pydeck/nbextension/static/index.js``, MIT deck.gl and BSD MapLibre inside,
Apache-2.0 pydeck), so it needs no network and no npm: a few megabytes once,
whatever the map holds. The data travel as JSON in the page: places (names
and aliases for the search, world region, partners), links (ends, channels,
cooperations) and the shipped land outline. In the browser:

- pan and zoom (drag, wheel, touch); arcs are great circles that take the
  short way across the antimeridian (their longitudes unwrapped, the world
  drawn again beside itself);
- far out, places close on the screen are grouped into one circle with
  their count, taken apart as you zoom in (click a group to zoom to it);
- filters by channel, by world region and by the fewest cooperations on a
  link; tooltips on places, groups and arcs; a search by any name or alias
  that flies to the best-connected hit; a click lists a place's partners;
- labels for the best-connected places, more as you zoom in.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from citygraph.core.errors import ConfigError
from citygraph.model.regions import REGIONS
from citygraph.views.mapdata import MapData, land_rings
from citygraph.views.palette import CHANNEL_COLOURS

#: The colour of a link that carries several channels (as the static map draws it).
SEVERAL = "#555555"


@cache
def deck_bundle() -> str:
    """deck.gl's browser bundle from the installed pydeck, safe inside a ``<script>`` element."""
    try:
        bundle = files("pydeck") / "nbextension" / "static" / "index.js"
        text = bundle.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        raise ConfigError("the map page needs pydeck's deck.gl bundle: pip install pydeck (a citygraph "
                          "dependency); the svg and png formats need nothing", option="format") from None
    return text.replace("</script", "<\\/script")


def payload(data: MapData) -> dict[str, Any]:
    """What the page's script reads: places by index, links between indexes, colours, the land."""
    order = sorted(data.places.values(), key=lambda p: (-p["partners"], p["name"]))
    index = {p["id"]: i for i, p in enumerate(order)}
    places = [{"id": p["id"], "name": p["name"], "names": [p["name"], *p["aliases"]], "bloc": p["bloc"],
               "region": p["region"], "lat": p["lat"], "lon": p["lon"], "partners": p["partners"]} for p in order]
    links = []
    for lk in sorted(data.links, key=lambda lk: lk["weight"]):
        a, b = data.places[lk["a"]], data.places[lk["b"]]
        links.append({"a": index[lk["a"]], "b": index[lk["b"]], "channels": lk["channels"], "weight": lk["weight"],
                      "colour": CHANNEL_COLOURS.get(lk["channel"], SEVERAL),
                      "title": f"{a['name']} – {b['name']}: {', '.join(lk['channels'])} "
                               f"({lk['weight']} cooperation(s))"})
    regions = {p["region"] for p in places}
    channels = sorted({c for lk in data.links for c in lk["channels"]})
    return {"places": places, "links": links, "land": land_rings(), "unplaced": data.unplaced,
            "regions": {r: c for r, c in REGIONS.items() if r in regions},
            "channels": {c: CHANNEL_COLOURS.get(c, SEVERAL) for c in channels}}


def page(data: MapData, title: str = "citygraph map", nonce: str | None = None) -> str:
    """The page: the template with deck.gl and the data in it (text stays text: JSON, ``</`` escaped); a served
    page's scripts carry the ``nonce`` its Content-Security-Policy names."""
    template = (files("citygraph") / "templates" / "map.html").read_text(encoding="utf-8")
    text = json.dumps(payload(data), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    title_text = title.replace("&", "&amp;").replace("<", "&lt;")
    marked = f' nonce="{nonce}"' if nonce else ""
    return template.replace("{{ nonce }}", marked).replace("{{ title }}", title_text).replace(
        "{{ deck }}", deck_bundle()).replace("{{ data }}", text)
