"""Interactive network pages (pyvis) that open with no network connection.

pyvis builds the node and edge lists; the page itself comes from our own
template, which inlines vis-network (from pyvis's bundled copy) instead of
pyvis's CDN links, shows tooltips as plain text, builds the legend and the
channel/sector filters with textContent (so 汕头 and चंडीगढ़ render as they
are and no name is ever parsed as HTML), and stops the physics once the
layout is stable.
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

from citygraph import analytics, catalog
from citygraph.errors import ConfigError, OutputError
from citygraph.palette import BLOC_COLOURS, CHANNEL_COLOURS
from citygraph.store import Row, Store

#: Kinds drawn as places (round); everything else is an organisation (square).
PLACE_KINDS = frozenset({"Place", "City", "Region", "Country"})
#: Above this many nodes the page keeps the top nodes by degree and lays out without physics.
COMFORTABLE_NODES = 2000



def _vis_assets() -> tuple[str, str]:
    lib = Path(str(files("pyvis"))) / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(
        encoding="utf-8"
    )


def still_layout(g, core: int = 800, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """A layout for pages too big for the browser's physics, in about linear time.

    A spring layout of the ``core`` best-connected nodes is the skeleton;
    every other node, in order of degree, sits on a small circle around a
    neighbour already placed (else somewhere at random). A full spring
    layout of 10,000 nodes takes minutes; this takes about a second.
    """
    import math
    import random

    import networkx as nx

    order = sorted(g, key=lambda n: (-g.degree(n), str(n)))
    pos = {n: tuple(xy) for n, xy in nx.spring_layout(g.subgraph(order[:core]), seed=seed, iterations=50).items()}
    rng = random.Random(seed)
    for n in order[core:]:
        anchor = next((m for m in g.neighbors(n) if m in pos), None)
        x, y = pos[anchor] if anchor is not None else (rng.uniform(-1, 1), rng.uniform(-1, 1))
        r, a = 0.02 + 0.04 * rng.random(), rng.uniform(0, 2 * math.pi)
        pos[n] = (x + r * math.cos(a), y + r * math.sin(a))
    return pos


def _page_graph(rows: list[Row], pairs: list[Row], located: dict[str, str], channel: str | None) -> nx.Graph:
    """The organisations view with pilot pairings and each organisation's place."""
    g = analytics.build(rows, pairs, view="organisations")
    for p in pairs if not channel or channel == "pilot" else []:
        for side in ("a", "b"):
            g.add_node(p[side], name=p[f"{side}_name"], bloc=p[f"{side}_bloc"] or "Other", kind=p[f"{side}_kind"])
        g.add_edge(p["a"], p["b"], weight=1, cooperations=set(), channels={"pilot"})
    places = {r["a"]: (r["a_place_name"], r["a_place_bloc"], r["a_place_kind"]) for r in rows}
    places.update({r["b"]: (r["b_place_name"], r["b_place_bloc"], r["b_place_kind"]) for r in rows})
    organisations = [n for n, kind in g.nodes(data="kind") if kind not in PLACE_KINDS]
    for org in organisations:
        place = located.get(org)
        if not place or org not in places or places[org][2] == "Country":
            continue
        name, bloc, kind = places[org]
        if place not in g:
            g.add_node(place, name=name, bloc=bloc or "Other", kind=kind or "Place")
        g.add_edge(org, place, weight=0, cooperations=set(), channels={"located"})
    return g


def _narrow(g: nx.Graph, bloc: str | None, focus: str | None, max_nodes: int) -> tuple[nx.Graph, bool]:
    """Keep a bloc and its partners, one node's neighbourhood, and at most ``max_nodes`` (trimmed or not)."""
    if bloc:
        keep = [n for n, a in g.nodes(data=True) if a["bloc"] == bloc]
        keep += [m for n in keep for m in g.neighbors(n)]
        g = g.subgraph(set(keep)).copy()
    if focus:
        target = next((n for n, a in g.nodes(data=True) if n == focus or a["name"].lower() == focus.lower()), None)
        if target is None:
            raise ConfigError(f"--focus {focus!r}: no such place or organisation in the network")
        near = {target} | set(g.neighbors(target))
        near |= {m for n in list(near) for m in g.neighbors(n) if g.edges[n, m]["channels"] == {"located"}}
        g = g.subgraph(near).copy()
    trimmed = g.number_of_nodes() > max_nodes
    if trimmed:
        degree = dict(g.degree())
        g = g.subgraph(sorted(g.nodes, key=lambda n: (-degree[n], n))[:max_nodes]).copy()
    return g, trimmed


def _vis_nodes(g: nx.Graph) -> list[dict[str, Any]]:
    net = Network(directed=False)
    for node, attrs in g.nodes(data=True):
        net.add_node(node, label=attrs["name"], title=f"{attrs['name']} — {attrs['kind']}, {attrs['bloc']}",
                     color=BLOC_COLOURS.get(attrs["bloc"], "#7f7f7f"),
                     shape="dot" if attrs["kind"] in PLACE_KINDS else "square",
                     size=10 + 8 * g.degree(node) ** 0.5)
    return list(net.nodes)


def _vis_edges(g: nx.Graph, rows: list[Row]) -> list[dict[str, Any]]:
    by_pair: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        by_pair.setdefault((r["a"], r["b"]), []).append(r)
    edges = []
    for a, b, attrs in g.edges(data=True):
        channels = sorted(attrs["channels"])
        rs = by_pair.get((a, b), []) + by_pair.get((b, a), [])
        main = next((c for c in channels if c not in ("pilot", "located")), channels[0])
        title = "; ".join(sorted({f"{r['cooperation']} ({r['channel']})" for r in rs})) or main
        # pyvis's Edge, appended directly: Network.add_edge scans every node and edge
        # on each call (quadratic: minutes at 10,000 edges); networkx has deduplicated already.
        edge = Edge(a, b, False, title=title, color=CHANNEL_COLOURS.get(main, "#999999"), width=1 + attrs["weight"],
                    dashes=main == "located")
        edges.append({**edge.options, "channel": main, "sectors": sorted({r["sector"] for r in rs if r["sector"]})})
    return edges


def _options(g: nx.Graph, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """vis-network options; above the comfortable size the graph is laid out here once and drawn still."""
    still = g.number_of_nodes() > COMFORTABLE_NODES
    iterations = 150 if g.number_of_nodes() > 500 else 400
    if still:
        pos = still_layout(g)
        for n in nodes:
            n["x"], n["y"] = float(pos[n["id"]][0] * 1500), float(pos[n["id"]][1] * 1500)
    return {"physics": {"enabled": not still, "solver": "forceAtlas2Based",
                        "stabilization": {"enabled": True, "iterations": iterations, "fit": True}},
            "interaction": {"hover": True, "tooltipDelay": 120},
            "nodes": {"font": {"size": 12}}, "edges": {"smooth": False}}


def network_data(store: Store, *, focus: str | None = None, bloc: str | None = None, channel: str | None = None,
                 max_nodes: int = COMFORTABLE_NODES) -> dict[str, Any]:
    """Nodes and edges of the organisations view plus the places they sit in."""
    rows = catalog.read(store, "shortcut-edges")
    if channel:
        rows = [r for r in rows if r["channel"] == channel]
    located = {r["org"]: r["place"] for r in catalog.read(store, "organisation-places")}
    g = _page_graph(rows, catalog.read(store, "pilot-pairs"), located, channel)
    g, trimmed = _narrow(g, bloc, focus, max_nodes)
    nodes, edges = _vis_nodes(g), _vis_edges(g, rows)
    legend = [{"label": b, "color": c} for b, c in BLOC_COLOURS.items()]
    legend += [{"label": f"— {c}", "color": col} for c, col in CHANNEL_COLOURS.items()]
    return {"nodes": nodes, "edges": edges, "options": _options(g, nodes), "legend": legend,
            "channels": sorted({e["channel"] for e in edges}),
            "sectors": sorted({s for e in edges for s in e["sectors"]}), "trimmed": trimmed}


def render_page(store: Store, out: Path, *, title: str = "citygraph — cooperation network", **kwargs: Any) -> Path:
    """The network page of ``store`` (``kwargs`` as for :func:`network_data`) written to ``out``."""
    return write_page(network_data(store, **kwargs), out, title=title)


def write_page(data: dict[str, Any], out: Path, *, title: str = "citygraph — cooperation network") -> Path:
    """Write the page for data that :func:`network_data` made."""
    data = dict(data)
    data["title"] = title + (f" (top {len(data['nodes'])} nodes by degree)" if data["trimmed"] else "")
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
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as e:
        raise OutputError(f"cannot write {out}: {e.strerror}") from None
    return out
