"""The choices the analyses take (metrics, views, backends), apart from the code that needs networkx: a command
line can offer them without importing it."""

from __future__ import annotations

from enum import StrEnum


class Metric(StrEnum):
    DEGREE = "degree"
    BETWEENNESS = "betweenness"
    CLOSENESS = "closeness"
    EIGENVECTOR = "eigenvector"
    PAGERANK = "pagerank"


class View(StrEnum):
    PLACES = "places"
    ORGANISATIONS = "organisations"
    BIPARTITE = "bipartite"


class Backend(StrEnum):
    AUTO = "auto"
    RUSTWORKX = "rustworkx"
    NETWORKIT = "networkit"
    NETWORKX = "networkx"
