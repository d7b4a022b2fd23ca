"""A FalkorDB graph dropped and begun anew in one step, so that no reader ever finds it missing.

Between a ``GRAPH.DELETE`` and the command that makes the graph again, a read
of another command would fail with "Invalid graph operation on empty key" (a
``render`` beside a ``reset``, in the soak). Both go in one transaction and
one query turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citygraph.store.falkordb import FalkorStore


def renew(store: FalkorStore, *begin: Any) -> None:
    """Drop the store's graph (if it exists) and run the command ``begin`` that makes it anew (an empty query, a
    bulk build's first command); Redis errors are the caller's to word."""
    anew = store.connection.pipeline(transaction=True)
    if store.graph_exists():
        anew.execute_command("GRAPH.DELETE", store.graph_name)
    anew.execute_command(*begin)
    with store.turns.turn():
        anew.execute()
