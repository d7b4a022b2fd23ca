"""The store interface: the only thing above the engines that touches a database."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citygraph.store.bulkimport import BulkImporter

Row = dict[str, Any]

#: Counter names every engine reports for writes.
COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created",
            "relationships_deleted", "properties_set", "properties_removed", "labels_added", "labels_removed")


def empty_counters() -> dict[str, int]:
    return dict.fromkeys(COUNTERS, 0)


class Store(abc.ABC):
    """One graph database, spoken to in Cypher, answering plain Python rows.

    Rows are dicts of str, int, float, bool, list, dict and None; a node is
    ``{"element_id": ..., "labels": [...], "properties": {...}}``, a relationship
    ``{"element_id": ..., "type": ..., "start": ..., "end": ..., "properties": {...}}`` (``start`` and ``end``
    are the element ids of its nodes, as the engine numbers them), a path
    ``{"nodes": [...], "relationships": [...]}``.
    """

    engine: str = "?"
    #: True where the engine runs each write query alone, start to finish
    #: (FalkorDB: one writer per graph), so one query can see what existed
    #: before it and act on that without a race. Elsewhere the writer leaves
    #: that to MERGE, which takes its own locks.
    serial_writes: bool = False
    #: True while a :func:`~citygraph.upkeep.writing.writing` block writes to this store (writes nest).
    writes_open: bool = False
    #: Where the store points, safe to print (no credentials).
    display: str = "?"

    @abc.abstractmethod
    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a query the database itself holds to read-only."""

    @abc.abstractmethod
    def write(self, query: str, params: Mapping[str, Any] | None = None) -> tuple[list[Row], dict[str, int]]:
        """Run a query that may write; returns the rows and the write counters."""

    @abc.abstractmethod
    def ensure_schema(self, keys: Iterable[tuple[str, str]]) -> None:
        """Create a uniqueness constraint (and index) on each ``(label, property)``."""

    @contextmanager
    def loading(self, *, exclusive: bool = False) -> Iterator[None]:
        """Held while a load writes (shared) or a reset empties the graph (exclusive), where the engine
        needs it: an embedded file's loads and resets exclude each other."""
        yield

    def create_if_missing(self) -> None:
        """Create the graph if it does not exist yet: commands that write call this, reads never do
        (a mistyped ``--database`` must not become a new, empty graph)."""

    def save(self) -> None:
        """Make what was written durable now (a no-op where every transaction already is)."""

    def is_empty(self) -> bool:
        """Whether the graph holds no node."""
        return not self.read("MATCH (n) RETURN 1 AS one LIMIT 1")

    def bulk_importer(self) -> BulkImporter | None:
        """The engine's builder of new graphs from packed records (FalkorDB's ``GRAPH.BULK``), where it has
        one; None elsewhere (Neo4j's importer runs offline)."""
        return None

    @abc.abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship of the graph."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release what the store opened itself."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
