"""FalkorDB's bulk importer: a new graph built from packed records (``GRAPH.BULK``).

Not part of the :class:`~citygraph.store.base.Store` interface: an engine that
has one returns a :class:`BulkImporter` from ``store.bulk_importer()``
(FalkorDB), the others ``None`` (Neo4j builds new databases offline, with
``neo4j-admin import``). The records' wire format is :mod:`citygraph.store.bulkformat`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import redis

from citygraph.core.errors import ConfigError, ConnectionFailed, QueryError
from citygraph.store.anew import renew

if TYPE_CHECKING:
    from citygraph.store.falkordb import FalkorStore


class BulkImporter:
    """Builds the graph of one :class:`FalkorStore` anew: :meth:`begin`, then :meth:`send` command by command."""

    def __init__(self, store: FalkorStore) -> None:
        self.store = store

    def begin(self) -> None:
        """Make ready to build the graph with ``GRAPH.BULK``, which numbers nodes from 0 only in a new graph:
        an empty one is dropped and begun anew in one transaction (readers never find it missing); its indexes
        go with it, and the caller makes them again after the build."""
        store, name = self.store, self.store.graph_name
        if store.graph_exists():
            held = store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
            if held:
                raise ConfigError(f"`bulk` builds a new graph, and graph {name!r} at {store.display} "
                                  f"holds {held:,} nodes: load without `bulk`, or `citygraph reset` first")
        try:
            renew(store, "GRAPH.BULK", name, "BEGIN", 0, 0, 0, 0)
        except redis.RedisError as e:
            raise QueryError(f"FalkorDB refused to begin the bulk build: {e}") from e
        store.graph_made()

    def send(self, nodes: int, edges: int, label_tokens: list[bytes], type_tokens: list[bytes]) -> tuple[int, int]:
        """Send one ``GRAPH.BULK`` command of packed records; (nodes, relationships) it created."""
        args: list[Any] = [nodes, edges, len(label_tokens), len(type_tokens), *label_tokens, *type_tokens]
        try:
            with self.store.turns.turn():
                reply = self.store.connection.execute_command("GRAPH.BULK", self.store.graph_name, *args)
        except redis.ResponseError as e:
            raise QueryError(f"FalkorDB refused the bulk build: {e}") from e
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise ConnectionFailed(f"lost the connection to FalkorDB at {self.store.display}: {e}") from e
        reply = reply.decode() if isinstance(reply, bytes) else str(reply)
        made_nodes, made_edges = (int(part.split()[0]) for part in reply.split(",")[:2])
        return made_nodes, made_edges
