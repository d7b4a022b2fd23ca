"""Counts that describe a graph and do not change between identical loads."""

from __future__ import annotations

from citygraph.query import catalog
from citygraph.store import Row, Store


def graph_stats(store: Store) -> list[Row]:
    """Nodes per label and relationships per type."""
    return ([{"kind": "label", **row} for row in catalog.read(store, "label-counts")]
            + [{"kind": "relationship", **row} for row in catalog.read(store, "type-counts")])
