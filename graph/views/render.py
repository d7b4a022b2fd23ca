"""Interactive network pages (pyvis) that open with no network connection.

pyvis builds the node and edge lists; the page itself comes from our own
template, which inlines vis-network (from pyvis's bundled copy) instead of
pyvis's CDN links. Hubs stand out: a node's size is its number of partners in
other blocs (a place counting those of its organisations and sub-places, the
reach ``hubs`` counts), and labels of small nodes appear as one zooms in.
Country nodes are not drawn. The page has search by name or alias (native
scripts too), click-to-highlight with a partners panel, bloc/channel/sector
and programme filters that hide nodes left without edges, a legend of what is on the page
only, tooltips with cooperation titles and sources, and a PNG download. All
text is set with textContent, so 汕头 and चंडीगढ़ render as they are and no
name is ever parsed as HTML.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from pyvis.edge import Edge
from pyvis.network import Network

from citygraph.analysis import analytics
from citygraph.analysis.backends import compute
from citygraph.core.errors import ConfigError
from citygraph.core.outputs import replace_text
from citygraph.model.countries import short_name
from citygraph.model.regions import REGIONS, region_of
from citygraph.query import catalog
from citygraph.store import Row, Store
from citygraph.views.palette import CHANNEL_COLOURS

#: Kinds drawn as places (round); everything else is an organisation (square).
PLACE_KINDS = frozenset({"Place", "City", "Region", "Country"})
#: Nodes labelled on a page too big for physics (the rest show their name on hover and in search).
TOP_LABELS = 30
#: The widest an edge is drawn, however many cooperations it carries.
MAX_EDGE_WIDTH = 6
#: Fonts the page asks for, with fallbacks that draw Chinese and Devanagari names.
FONT_STACK = ("'Noto Sans', 'Noto Sans CJK SC', 'Noto Sans Devanagari', 'Segoe UI', 'PingFang SC', "
              "'Microsoft YaHei', 'Nirmala UI', sans-serif")
#: Above this many nodes the page keeps the top nodes by degree and lays out without physics.
COMFORTABLE_NODES = 2000
#: Above this many nodes the page opens on countries as meta-nodes (a click expands one into its nodes).
AGGREGATE_ABOVE = 3000



def _vis_assets() -> tuple[str, str]:
    lib = Path(str(files("pyvis"))) / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(
        encoding="utf-8"
    )


def still_layout(g, core: int = 800, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """A layout for pages too big for the browser's physics, in about linear time.

    A ForceAtlas2 layout of the ``core`` best-connected nodes is the skeleton;
    every other node, in order of degree, sits on a small circle around a
    neighbour already placed (else somewhere at random). A full spring
    layout of 10,000 nodes takes minutes; this takes about a second.
    """
    import math
    import random

    import networkx as nx

    order = sorted(g, key=lambda n: (-g.degree(n), str(n)))
    # ForceAtlas2 with hubs dissuaded (distributed action) spreads the core into its communities.
    skeleton = nx.forceatlas2_layout(g.subgraph(order[:core]), seed=seed, max_iter=100, distributed_action=True)
    pos = _spread(skeleton)
    rng = random.Random(seed)
    for n in order[core:]:
        anchor = next((m for m in g.neighbors(n) if m in pos), None)
        if anchor is None:  # apart from the core: on a ring around it, not over it
            r, a = 1.35 + 0.2 * rng.random(), rng.uniform(0, 2 * math.pi)
            pos[n] = (r * math.cos(a), r * math.sin(a))
            continue
        x, y = pos[anchor]
        r, a = 0.02 + 0.04 * rng.random(), rng.uniform(0, 2 * math.pi)
        pos[n] = (x + r * math.cos(a), y + r * math.sin(a))
    return pos


def _spread(pos: dict[Any, Any]) -> dict[Any, tuple[float, float]]:
    """Centre a layout and scale it so that nine nodes in ten lie within radius 1 (a few far ones at most 1.2)."""
    import math

    if not pos:
        return {}
    cx = sum(float(p[0]) for p in pos.values()) / len(pos)
    cy = sum(float(p[1]) for p in pos.values()) / len(pos)
    radii = sorted(math.hypot(float(p[0]) - cx, float(p[1]) - cy) for p in pos.values())
    scale = radii[int(0.9 * (len(radii) - 1))] or 1.0
    out = {}
    for n, (x, y) in pos.items():
        dx, dy = (float(x) - cx) / scale, (float(y) - cy) / scale
        r = math.hypot(dx, dy)
        k = 1.2 / r if r > 1.2 else 1.0
        out[n] = (dx * k, dy * k)
    return out


def _page_graph(rows: list[Row], pairs: list[Row], located: dict[str, str], channel: str | None) -> nx.Graph:
    """The organisations view with pilot pairings and each organisation's place."""
    g = analytics.build(rows, pairs, view="organisations")
    for p in pairs if not channel or channel == "pilot" else []:
        for side in ("a", "b"):
            g.add_node(p[side], name=p[f"{side}_name"], bloc=p[f"{side}_bloc"] or "", kind=p[f"{side}_kind"])
        g.add_edge(p["a"], p["b"], weight=1, cooperations=set(), channels={"pilot"}, programmes={p["programme"]})
    places = {r["a"]: (r["a_place_name"], r["a_place_bloc"], r["a_place_kind"]) for r in rows}
    places.update({r["b"]: (r["b_place_name"], r["b_place_bloc"], r["b_place_kind"]) for r in rows})
    organisations = [n for n, kind in g.nodes(data="kind") if kind not in PLACE_KINDS]
    for org in organisations:
        place = located.get(org)
        if not place or org not in places or places[org][2] == "Country":
            continue
        name, bloc, kind = places[org]
        if place not in g:
            g.add_node(place, name=name, bloc=bloc or "", kind=kind or "Place")
        g.add_edge(org, place, weight=0, cooperations=set(), channels={"located"})
    return g


def _homes(g: nx.Graph) -> dict[str, str]:
    """Each organisation on the page -> the place it is located in (from the ``located`` edges)."""
    homes = {}
    for a, b, d in g.edges(data=True):
        if d["channels"] == {"located"}:
            org, place = (a, b) if g.nodes[a]["kind"] not in PLACE_KINDS else (b, a)
            homes[org] = place
    return homes


def _members(g: nx.Graph, homes: dict[str, str], parts: dict[str, str]) -> dict[str, set[str]]:
    """Each place -> who acts for it: itself, its organisations, its sub-places and theirs."""
    members: dict[str, set[str]] = {}
    for n in g:
        place, seen = homes.get(n, n), set()
        while place and place not in seen:  # up the PART_OF chain (a cycle in bad data stops here)
            seen.add(place)
            if place in g:
                members.setdefault(place, set()).add(n)
            place = parts.get(place, "")
    return members


def _group(g: nx.Graph, node: str, members: dict[str, set[str]]) -> set[str]:
    """A place's members (see :func:`_members`); an organisation stands alone."""
    return members.get(node, {node}) if g.nodes[node]["kind"] in PLACE_KINDS else {node}


def _partners(g: nx.Graph, group: set[str], homes: dict[str, str]) -> set[str]:
    """The places (or lone organisations) that a group cooperates with, outside the group."""
    found = set()
    for x in group:
        for m in g[x]:
            if m not in group and g.edges[x, m]["channels"] != {"located"}:
                found.add(homes.get(m, m))
    return found - group


def _narrow(g: nx.Graph, bloc: str | None, focus: str | None, max_nodes: int,
            parts: dict[str, str]) -> tuple[nx.Graph, int]:
    """Keep a bloc and its partners, one node's reach (through its organisations and sub-places too), and at
    most ``max_nodes`` of them, the best-connected; and how many there were before that cut."""
    if bloc:
        keep = [n for n, a in g.nodes(data=True) if a["bloc"].lower() == bloc.lower()]
        keep += [m for n in keep for m in g.neighbors(n)]
        g = g.subgraph(set(keep)).copy()
    if focus:
        target = next((n for n, a in g.nodes(data=True) if n == focus or a["name"].lower() == focus.lower()), None)
        if target is None:
            raise ConfigError(f"{focus!r}: no such place or organisation in the network", option="focus")
        homes = _homes(g)
        group = _group(g, target, _members(g, homes, parts))
        near = group | {m for x in group for m in g[x]}
        near |= {homes[m] for m in near if m in homes}
        g = g.subgraph(near).copy()
    total = g.number_of_nodes()
    if total > max_nodes:
        degree = dict(g.degree())
        g = g.subgraph(sorted(g.nodes, key=lambda n: (-degree[n], n))[:max_nodes]).copy()
    return g, total


def reach(g: nx.Graph, parts: dict[str, str]) -> dict[str, set[str]]:
    """Each node's partners (places, or organisations with no place on the page); a place's include those of its
    organisations and sub-places, the same reach that ``hubs`` counts."""
    homes = _homes(g)
    members = _members(g, homes, parts)
    return {n: _partners(g, _group(g, n, members), homes) for n in g}


def _vis_nodes(g: nx.Graph, reached: dict[str, set[str]], aliases: dict[str, list[str]],
               colours: dict[str, str], size_by: str = "partners") -> list[dict[str, Any]]:
    net = Network(directed=False)
    partners = {n: sum(1 for q in reached[n] if g.nodes[q]["bloc"] != g.nodes[n]["bloc"]) for n in g}
    sizes = {n: 1.0 + partners[n] for n in g} if size_by == "partners" else \
        {n: 1.0 + 100 * v for n, v in compute(g, size_by).values.items()}
    for node, attrs in g.nodes(data=True):
        also = aliases.get(node, [])
        title = "\n".join([f"{attrs['name']} — {attrs['kind']}, {attrs['bloc']} ({attrs['region']})",
                           *([f"also: {', '.join(also)}"] if also else []),
                           f"partners in other blocs: {partners[node]}"])
        net.add_node(node, label=attrs["name"], title=title, color=colours.get(attrs["region"], "#6b6b6b"),
                     shape="dot" if attrs["kind"] in PLACE_KINDS else "square", value=sizes[node])
    nodes = list(net.nodes)
    for n in nodes:
        n["aliases"], n["bloc"], n["partners"] = aliases.get(n["id"], []), g.nodes[n["id"]]["bloc"], partners[n["id"]]
        n["country"] = g.nodes[n["id"]]["country"]
        n["name"] = g.nodes[n["id"]]["name"]
        n["reach"] = sorted(reached[n["id"]])
    return nodes


def _vis_edges(g: nx.Graph, rows: list[Row], titles: dict[str, Row]) -> list[dict[str, Any]]:
    by_pair: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        by_pair.setdefault((r["a"], r["b"]), []).append(r)
    edges = []
    for a, b, attrs in g.edges(data=True):
        channels = sorted(attrs["channels"])
        rs = by_pair.get((a, b), []) + by_pair.get((b, a), [])
        main = next((c for c in channels if c not in ("pilot", "located")), channels[0])
        lines = sorted({_edge_line(titles.get(r["cooperation"]), r) for r in rs})
        title = "\n".join(lines) or {"pilot": "paired in a pilot project", "located": "located in"}.get(main, main)
        # pyvis's Edge, appended directly: Network.add_edge scans every node and edge
        # on each call (quadratic: minutes at 10,000 edges); networkx has deduplicated already.
        edge = Edge(a, b, False, title=title, color=CHANNEL_COLOURS.get(main, "#999999"),
                    width=min(1 + attrs["weight"], MAX_EDGE_WIDTH), dashes=main == "located")
        programmes = {titles[r["cooperation"]]["programme"] for r in rs if r["cooperation"] in titles}
        programmes |= attrs.get("programmes", set())
        edges.append({**edge.options, "channel": main, "sectors": sorted({r["sector"] for r in rs if r["sector"]}),
                      "programmes": sorted(p for p in programmes if p)})
    return edges


def _edge_line(coop: Row | None, row: Row) -> str:
    if coop is None:
        return f"{row['cooperation']} ({row['channel']})"
    sources = f" — {', '.join(coop['sources'])}" if coop["sources"] else ""
    return f"{coop['title']} ({coop['channel']}){sources}"


def _label_top(nodes: list[dict[str, Any]], top: int = TOP_LABELS) -> None:
    """On a still page, only the biggest nodes carry a label, large enough to read at fit zoom."""
    ranked = sorted(nodes, key=lambda n: (-n["value"], n["id"]))
    for i, n in enumerate(ranked):
        if i < top:
            n["font"] = {"size": 72, "strokeWidth": 6, "strokeColor": "#ffffff"}
        else:
            n["label"] = ""


def _options(g: nx.Graph, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """vis-network options; above the comfortable size the graph is laid out here once and drawn still.

    Node size follows partners in other blocs; labels of small nodes appear only when zoomed in.
    """
    still = g.number_of_nodes() > COMFORTABLE_NODES
    iterations = 150 if g.number_of_nodes() > 500 else 400
    if still:
        pos = still_layout(g)
        for n in nodes:
            n["x"], n["y"] = float(pos[n["id"]][0] * 1500), float(pos[n["id"]][1] * 1500)
        _label_top(nodes)
    return {"physics": {"enabled": not still, "solver": "forceAtlas2Based",
                        "stabilization": {"enabled": True, "iterations": iterations, "fit": True}},
            "interaction": {"hover": True, "tooltipDelay": 120},
            "nodes": {"font": {"size": 14, "face": FONT_STACK},
                      "scaling": {"min": 8, "max": 44, "label": {"enabled": not still, "min": 8, "max": 26,
                                                                 "drawThreshold": 9}}},
            "edges": {"smooth": False}}


def network_data(store: Store, *, focus: str | None = None, bloc: str | None = None, channel: str | None = None,
                 max_nodes: int = COMFORTABLE_NODES, size_by: str = "partners",
                 aggregate_above: int = AGGREGATE_ABOVE) -> dict[str, Any]:
    """Nodes and edges of the organisations view plus the places they sit in (no country nodes). Above
    ``aggregate_above`` nodes the page opens on countries, each a meta-node of its places and organisations."""
    every = catalog.read(store, "shortcut-edges")
    _check_bloc({b for r in every for b in (r["a_bloc"], r["b_bloc"], r["a_place_bloc"], r["b_place_bloc"]) if b},
                bloc)
    rows = [r for r in every
            if r["a_kind"] != "Country" and r["b_kind"] != "Country" and (not channel or r["channel"] == channel)]
    located = {r["org"]: r["place"] for r in catalog.read(store, "organisation-places")}
    parts = {r["part"]: r["whole"] for r in catalog.read(store, "place-parts")}
    g = _page_graph(rows, catalog.read(store, "pilot-pairs"), located, channel)
    g.remove_nodes_from([n for n, kind in g.nodes(data="kind") if kind == "Country"])
    g, total = _narrow(g, bloc, focus, max_nodes, parts)
    reached = reach(g, parts)
    aliases = {r["id"]: r["aliases"] for r in catalog.read(store, "place-aliases")}
    titles = {r["id"]: r for r in catalog.read(store, "cooperation-titles",
                                              {"ids": sorted({r["cooperation"] for r in rows})})}
    _regions(store, g, located)
    colours = {r: c for r, c in REGIONS.items() if r in {region for _, region in g.nodes(data="region")}}
    nodes, edges = _vis_nodes(g, reached, aliases, colours, size_by), _vis_edges(g, rows, titles)
    present = sorted({e["channel"] for e in edges})
    legend = {"regions": colours, "channels": {c: CHANNEL_COLOURS.get(c, "#999999") for c in present},
              "shapes": {"dot": "place", "square": "organisation"},
              "size": "size: partners in other blocs (for a place, through its organisations and sub-places too)"
              if size_by == "partners" else f"size: {size_by} centrality on this page's network"}
    return {"nodes": nodes, "edges": edges, "options": _options(g, nodes), "legend": legend,
            "blocs": sorted({b for _, b in g.nodes(data="bloc")}), "channels": present,
            "sectors": sorted({s for e in edges for s in e["sectors"]}),
            "programmes": sorted({p for e in edges for p in e["programmes"]}),
            "trimmed": total > len(nodes), "total_nodes": total, "aggregate": len(nodes) > aggregate_above,
            "still": len(nodes) > COMFORTABLE_NODES}


def _regions(store: Store, g: nx.Graph, located: dict[str, str]) -> None:
    """Each node's world region (:mod:`citygraph.model.regions`): a place's by its country, an organisation's
    by the place it is located in."""
    country = {r["id"]: r["country"] for r in catalog.read(store, "place-coordinates")}
    for node, attrs in g.nodes(data=True):
        code = country.get(node) or country.get(located.get(node, ""))
        attrs["region"], attrs["country"] = region_of(code), short_name(code) if code else "elsewhere"


def shown(data: dict[str, Any]) -> str:
    """``2,000 of 17,052 nodes, the best-connected`` for a trimmed page, else how many nodes it has; and how
    an aggregated page opens."""
    said = (f"{len(data['nodes']):,} of {data['total_nodes']:,} nodes, the best-connected" if data["trimmed"]
            else f"{len(data['nodes']):,} nodes")
    if data.get("aggregate"):
        said += f", opening on {len({n['country'] for n in data['nodes']}):,} countries (click one to expand it)"
    return said


def _check_bloc(known: set[str], bloc: str | None) -> None:
    if bloc and bloc.lower() not in {b.lower() for b in known}:
        raise ConfigError(f"{bloc!r}: no such bloc in the graph; known: {', '.join(sorted(known))}", option="bloc")


def render_page(store: Store, out: Path, *, title: str = "citygraph — cooperation network", force: bool = False,
                **kwargs: Any) -> Path:
    """The network page of ``store`` (``kwargs`` as for :func:`network_data`) written to ``out``."""
    return write_page(network_data(store, **kwargs), out, title=title, force=force)


def write_page(data: dict[str, Any], out: Path, *, title: str = "citygraph — cooperation network",
               force: bool = False) -> Path:
    """Write the page for data that :func:`network_data` made (whole or not at all: :mod:`citygraph.core.outputs`)."""
    data = dict(data)
    data["title"] = title + (f" ({shown(data)})" if data["trimmed"] or data.get("aggregate") else "")
    vis_js, vis_css = _vis_assets()
    env = jinja2.Environment(loader=jinja2.PackageLoader("citygraph", "templates"), autoescape=True)
    # JSON inside <script>: escape '<' so no name can close the script element.
    data_json = (
        json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    html = env.get_template("network.html").render(
        title=title,
        vis_js=jinja2.utils.markupsafe.Markup(vis_js),
        vis_css=jinja2.utils.markupsafe.Markup(vis_css),
        data_json=jinja2.utils.markupsafe.Markup(data_json),
    )
    return replace_text(Path(out), html, force=force)
