"""Centrality at any size: the fastest installed backend, exact where affordable, a seeded estimate above.

Backends, fastest first: rustworkx (Rust, parallel), networkit (C++,
parallel; optional), networkx (pure Python, always there). ``degree``,
``eigenvector`` and ``pagerank`` are exact everywhere (degree and eigenvector
through networkx/numpy, already fast). ``closeness`` (all
pairs) is exact too: rustworkx runs it in parallel at any size here.
``betweenness`` is exact up to :data:`EXACT_BETWEENNESS` nodes for the
backend that runs it and estimated above, from ``sample`` seeded source
nodes (networkit's ``EstimateBetweenness`` where installed, else networkx's
``k`` sampling: the same estimator; the same seed and backend give the same numbers).
A :class:`Scores` says which backend ran and whether the numbers are an
estimate. ``bench/run.py`` times this same code.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from dataclasses import dataclass
from typing import Any

import networkx as nx

from citygraph.analysis.choices import Backend
from citygraph.core.errors import ConfigError

log = logging.getLogger(__name__)

#: PageRank iterates until the whole vector (which sums to 1) changes by less than this.
PAGERANK_TOL = 1e-6
#: Above this many nodes, betweenness is estimated (networkx is ~50x slower than the compiled backends).
EXACT_BETWEENNESS = {"networkx": 5_000, "rustworkx": 30_000, "networkit": 30_000}
#: Source nodes an estimate starts from, unless ``sample`` says otherwise.
DEFAULT_SAMPLE = 1_000


def installed() -> list[str]:
    """The backends this interpreter can import, fastest first."""
    return [b.value for b in (Backend.RUSTWORKX, Backend.NETWORKIT)
            if importlib.util.find_spec(b.value) is not None] + [Backend.NETWORKX.value]


@dataclass
class Scores:
    """One metric's score per node, the backend that computed it, and how (``exact`` or ``sampled k=…``)."""

    values: dict[str, float]
    backend: str
    mode: str = "exact"

    @property
    def estimate(self) -> bool:
        return self.mode != "exact"


def choose(backend: str = "auto") -> str:
    """The backend to run: the fastest installed one for ``auto``; an error naming the installed ones else."""
    have = installed()
    if backend in ("auto", Backend.AUTO):
        return have[0]
    if backend not in have:
        raise ConfigError(f"{backend}: not installed here (installed: {', '.join(have)}; "
                          f"pip install {backend})", option="backend")
    return str(backend)


def compute(g: nx.Graph, metric: str, *, backend: str = "auto", sample: int | None = None,
            seed: int = 7) -> Scores:
    """``metric`` for every node of ``g``; betweenness above the exact limit (or with ``sample``) is estimated."""
    chosen = choose(backend)
    started = time.perf_counter()
    if g.number_of_nodes() == 0:
        scores = Scores({}, chosen)
    elif metric == "betweenness":
        scores = _betweenness(g, chosen, sample, seed)
    elif chosen == Backend.RUSTWORKX and metric in ("closeness", "pagerank"):
        scores = Scores(_rustworkx(g, metric), chosen)
    else:
        scores = Scores(_networkx(g, metric), Backend.NETWORKX.value)
    log.info("%s on %d nodes, %d edges: %s, %s, %.2f s", metric, g.number_of_nodes(), g.number_of_edges(),
             scores.backend, scores.mode, time.perf_counter() - started)
    return scores


def _betweenness(g: nx.Graph, backend: str, sample: int | None, seed: int) -> Scores:
    n = g.number_of_nodes()
    k = sample if sample is not None else DEFAULT_SAMPLE if n > EXACT_BETWEENNESS[backend] else None
    if k is None or k >= n:
        if backend == Backend.RUSTWORKX:
            return Scores(_rustworkx(g, "betweenness"), backend)
        if backend == Backend.NETWORKIT:
            return Scores(_networkit_betweenness(g, None, seed), backend)
        return Scores(nx.betweenness_centrality(g, normalized=True), backend)
    mode = f"sampled k={k}, seed {seed}"
    if backend != Backend.NETWORKX and "networkit" in installed():
        return Scores(_networkit_betweenness(g, k, seed), "networkit", mode)
    return Scores(nx.betweenness_centrality(g, k=k, seed=seed, normalized=True), "networkx", mode)


def _networkx(g: nx.Graph, metric: str) -> dict[str, float]:
    if metric == "degree":
        return dict(nx.degree_centrality(g))
    if metric == "closeness":
        return dict(nx.closeness_centrality(g))
    if metric == "eigenvector":
        # On a disconnected graph the leading eigenvector is ambiguous (and power iteration may never
        # settle): score the largest component, where the leading eigenvalue lives, and give the others 0.
        main = g if nx.is_connected(g) else g.subgraph(max(nx.connected_components(g), key=len))
        scores = dict.fromkeys(g, 0.0)
        if main.number_of_nodes() > 2:
            scores.update(nx.eigenvector_centrality_numpy(main, weight="weight"))
        else:
            scores.update(dict.fromkeys(main, 1 / main.number_of_nodes() ** 0.5))
        return scores
    # networkx stops when the vector's total (L1) change is below n × tol: its default tol of 1e-6 lets
    # the error grow with the graph (0.008 at 20,000 places). Scaled, it is PAGERANK_TOL at any size.
    return dict(nx.pagerank(g, weight="weight", tol=PAGERANK_TOL / g.number_of_nodes(), max_iter=1000))


def _rustworkx(g: nx.Graph, metric: str) -> dict[str, float]:
    import rustworkx as rx

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[a], index[b], float(d.get("weight") or 1)) for a, b, d in g.edges(data=True)]
    ug: Any = rx.PyGraph(multigraph=False)
    ug.add_nodes_from(nodes)
    ug.add_edges_from(edges)
    if metric == "betweenness":
        result = rx.betweenness_centrality(ug, normalized=True)
    elif metric == "closeness":
        result = rx.closeness_centrality(ug, wf_improved=True)
    else:
        dg: Any = rx.PyDiGraph()
        dg.add_nodes_from(nodes)
        dg.add_edges_from(edges + [(b, a, w) for a, b, w in edges])
        try:
            result = rx.pagerank(dg, weight_fn=float, tol=PAGERANK_TOL / len(nodes), max_iter=1000)
        except rx.FailedToConverge:
            return _networkx(g, metric)
    return {nodes[i]: float(v) for i, v in result.items()}


def _networkit_betweenness(g: nx.Graph, k: int | None, seed: int) -> dict[str, float]:
    """Exact (``k`` None) or estimated from ``k`` seeded sources, normalised as networkx normalises."""
    import networkit as nk

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    h = nk.Graph(len(nodes))
    for a, b in g.edges():
        h.addEdge(index[a], index[b])
    nk.engineering.setSeed(seed, True)
    algo = nk.centrality.Betweenness(h, True) if k is None else nk.centrality.EstimateBetweenness(h, k, True, True)
    algo.run()
    scores = algo.scores()
    return {nodes[i]: float(scores[i]) for i in range(len(nodes))}
