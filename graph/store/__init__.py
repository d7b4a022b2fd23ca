"""Open the store a URI names; nothing above this package imports a driver."""

from __future__ import annotations

from citygraph.core.config import Settings, resolve
from citygraph.store.base import Row, Store

__all__ = ["Row", "Store", "open_store"]


def open_store(uri: str | None = None, database: str | None = None, *, settings: Settings | None = None,
               create: bool = True) -> Store:
    """The store for ``uri`` (or ``CITYGRAPH_URI``, or the embedded default); ``create=False``: an embedded
    database whose folder does not exist is refused, and nothing is created (a read)."""
    settings = settings or resolve(uri, database)
    if settings.engine == "neo4j":
        from citygraph.store.neo4j import Neo4jStore

        return Neo4jStore(settings)
    from citygraph.store.falkordb import FalkorStore

    return FalkorStore(settings, create=create)
