"""Partner analytics on networkx projections of the graph.

Views: ``places`` (places joined by the cooperations between them and their
organisations, and by pilot pairings; weight = number of cooperations),
``organisations`` (the parties of cooperations themselves) and ``bipartite``
(the places view keeping only Europe × Asia edges; nodes carry ``bipartite``
0 for Europe, 1 for the other side). Metrics: degree, betweenness, closeness,
eigenvector (on the largest component), PageRank; Louvain communities; brokerage between the China and
India programmes; partner recommendation by link prediction on the bipartite
view, each suggestion with the paths it rests on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import networkx as nx

from citygraph.analysis.backends import Scores, compute
from citygraph.analysis.choices import Metric, View
from citygraph.query import catalog
from citygraph.store import Row, Store

METRICS = tuple(m.value for m in Metric)
VIEWS = tuple(v.value for v in View)



def build(rows: Iterable[Row], pairs: Iterable[Row], view: str = "places", parts: Iterable[Row] = ()) -> nx.Graph:
    """A weighted undirected graph from COOPERATES_WITH rows (and pilot pairs for the places views).

    ``parts`` (PART_OF rows) go into ``g.graph["part_of"]`` so that analyses
    can tell that working with Chengdu is working in Sichuan.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    g = nx.Graph(part_of={(r["part"], r["whole"]) for r in parts})

    def add(node: str, name: str, bloc: str | None, kind: str | None) -> None:
        if node not in g:
            g.add_node(node, name=name, bloc=bloc or "Other", kind=kind or "Place")

    for r in rows:
        if view in ("places", "bipartite"):
            a, b = r["a_place"], r["b_place"]
            if r["a_place_kind"] == "Country" or r["b_place_kind"] == "Country":
                continue
            add(a, r["a_place_name"], r["a_place_bloc"], r["a_place_kind"])
            add(b, r["b_place_name"], r["b_place_bloc"], r["b_place_kind"])
        else:
            a, b = r["a"], r["b"]
            add(a, r["a_name"], r["a_bloc"], r["a_kind"])
            add(b, r["b_name"], r["b_bloc"], r["b_kind"])
        if a == b:
            continue
        data = g.get_edge_data(a, b)
        if data is None:
            g.add_edge(a, b, weight=0, cooperations=set(), channels=set())
            data = g.edges[a, b]
        if r["cooperation"] not in data["cooperations"]:
            data["cooperations"].add(r["cooperation"])
            data["weight"] += 1
        data["channels"].add(r["channel"])
    if view in ("places", "bipartite"):
        for p in pairs:
            add(p["a"], p["a_name"], p["a_bloc"], p["a_kind"])
            add(p["b"], p["b_name"], p["b_bloc"], p["b_kind"])
            data = g.get_edge_data(p["a"], p["b"])
            if data is None:
                g.add_edge(p["a"], p["b"], weight=1, cooperations=set(), channels={"pilot"})
            else:
                data["channels"].add("pilot")
    if view == "bipartite":
        europe = {n for n, bloc in g.nodes(data="bloc") if bloc == "Europe"}
        g.remove_edges_from([(a, b) for a, b in g.edges if (a in europe) == (b in europe)])
        g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
        nx.set_node_attributes(g, {n: 0 if n in europe else 1 for n in g}, "bipartite")
    return g


def project(store: Store, view: str = "places") -> nx.Graph:
    return build(catalog.read(store, "shortcut-edges"), catalog.read(store, "pilot-pairs"), view,
                 catalog.read(store, "place-parts"))


def centrality(g: nx.Graph, metric: str = "degree", *, backend: str = "auto", sample: int | None = None,
               seed: int = 7) -> dict[str, float]:
    """One centrality metric per node (see :mod:`citygraph.analysis.backends` for backends and estimates)."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}")
    return compute(g, metric, backend=backend, sample=sample, seed=seed).values


def ranking(g: nx.Graph, metric: str = "degree", top: int | None = 20, *, backend: str = "auto",
            sample: int | None = None) -> tuple[list[dict[str, Any]], Scores]:
    """The ``top`` nodes by ``metric``, and the scores (which say the backend and whether they are estimated)."""
    scores = compute(g, metric, backend=backend, sample=sample)
    ordered = sorted(scores.values.items(), key=lambda kv: (-kv[1], g.nodes[kv[0]]["name"]))
    rows = []
    for rank, (node, score) in enumerate(ordered[:top] if top else ordered, start=1):
        attrs = g.nodes[node]
        rows.append({"rank": rank, "id": node, "name": attrs["name"], "bloc": attrs["bloc"], "kind": attrs["kind"],
                     "score": round(float(score), 6), "partners": g.degree(node)})
    return rows, scores


def brokerage(g: nx.Graph) -> list[dict[str, Any]]:
    """Nodes that reach both the China and the India side: the bridges between the programmes."""
    rows = []
    for node, attrs in g.nodes(data=True):
        blocs = {g.nodes[n]["bloc"] for n in g.neighbors(node)}
        if {"China", "India"} <= blocs:
            rows.append({"id": node, "name": attrs["name"], "bloc": attrs["bloc"],
                         "china_partners": sum(g.nodes[n]["bloc"] == "China" for n in g.neighbors(node)),
                         "india_partners": sum(g.nodes[n]["bloc"] == "India" for n in g.neighbors(node))})
    return sorted(rows, key=lambda r: (-(r["china_partners"] + r["india_partners"]), r["name"]))


def communities(g: nx.Graph, seed: int = 7) -> list[set[str]]:
    if not g.number_of_nodes():
        return []
    return [set(c) for c in nx.community.louvain_communities(g, weight="weight", seed=seed)]


def find(g: nx.Graph, place: str) -> set[str]:
    """The nodes whose id is ``place`` or whose name is ``place``, ignoring case."""
    return {n for n, name in g.nodes(data="name") if n == place or name.casefold() == place.casefold()}


def _related(g: nx.Graph) -> dict[str, set[str]]:
    """A place, its parts and what it is part of."""
    related: dict[str, set[str]] = {}
    for part, whole in g.graph.get("part_of", ()):
        related.setdefault(part, {part}).add(whole)
        related.setdefault(whole, {whole}).add(part)
    return related


def _length_three_paths(g: nx.Graph, wanted: set[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """(European place, partner place) -> Adamic–Adar score and the peers (with shared partners) behind it."""
    related = _related(g)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for e in [n for n, side in g.nodes(data="bipartite") if side == 0]:
        mine = set(g[e])
        reached = set().union(*(related.get(a, {a}) for a in mine)) if mine else set()
        for via in mine:  # e - via - peer - a
            w = 1.0 / math.log1p(g.degree(via))
            for peer in g[via]:
                if peer == e:
                    continue
                for a in g[peer]:
                    if a in reached or not ({e, a} & wanted):
                        continue
                    hit = found.setdefault((e, a), {"score": 0.0, "peers": {}})
                    hit["score"] += w
                    hit["peers"].setdefault(peer, set()).add(via)
    return found


def _suggestion(g: nx.Graph, e: str, a: str, hit: dict[str, Any]) -> dict[str, Any]:
    """One suggestion row, with the sentence that explains it."""
    name = g.nodes
    because = "; ".join(
        f"{name[p]['name']} works with {name[a]['name']} and shares "
        + ", ".join(sorted(name[v]["name"] for v in vias)) + f" with {name[e]['name']}"
        for p, vias in sorted(hit["peers"].items(), key=lambda kv: (-len(kv[1]), name[kv[0]]["name"])))
    return {"europe": name[e]["name"], "partner": name[a]["name"], "bloc": name[a]["bloc"],
            "score": round(hit["score"], 4), "peers": sorted(name[p]["name"] for p in hit["peers"]),
            "shared": sorted({name[v]["name"] for vias in hit["peers"].values() for v in vias}),
            "because": because}


def recommend(g: nx.Graph, place: str | None = None, top: int = 10) -> list[dict[str, Any]]:
    """Suggest missing Europe × Asia links by link prediction on the bipartite view.

    In a bipartite graph two candidates on opposite sides share no neighbours,
    so the evidence is the paths of length three: European place *e* may suit
    Asian place *a* when *e* shares Asian partners (*via*) with European
    places (*peers*) that already work with *a*. Each such path counts
    Adamic–Adar style, ``1 / log(1 + degree(via))``: a shared partner that
    everyone works with says less than a rare one. ``place`` (an id or a name)
    restricts suggestions to that place, on either side. A place is not
    suggested where the European place already works with a part of it or
    with what it is part of (Dublin works with Chengdu, so not with Sichuan).
    """
    if g.number_of_nodes() and "bipartite" not in next(iter(g.nodes.values())):
        raise ValueError("recommend needs the bipartite view")
    if place is not None:
        wanted = find(g, place)
        if not wanted:
            return []
    else:
        wanted = set(g)
    found = _length_three_paths(g, wanted)
    rows = [_suggestion(g, e, a, hit) for (e, a), hit in found.items()]
    rows.sort(key=lambda r: (-r["score"], r["europe"], r["partner"]))
    return rows[:top] if top else rows
