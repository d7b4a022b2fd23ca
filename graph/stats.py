"""Counts that describe a graph and do not change between identical loads."""

from __future__ import annotations

from citygraph.store import Row, Store


LABELS = "MATCH (n) UNWIND labels(n) AS name RETURN name, count(*) AS count ORDER BY name"
TYPES = "MATCH ()-[r]->() RETURN type(r) AS name, count(*) AS count ORDER BY name"


def graph_stats_queries() -> list[str]:
    return [LABELS, TYPES]


def graph_stats(store: Store) -> list[Row]:
    labels = store.read(LABELS)
    types = store.read(TYPES)
    return ([{"kind": "label", **row} for row in labels]
            + [{"kind": "relationship", **row} for row in types])
