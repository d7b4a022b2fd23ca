"""One way to write: every change to a graph goes through :func:`writing`.

A write takes the store's load lock (shared for a load, exclusive for a
reset or hand-written Cypher, which may change anything), brings a graph an
earlier version wrote up to date before anything new goes in, and on a clean
exit refreshes what hubs and bridges read (the derived REACHES, PARTNERS_WITH
and partner counts) and saves the graph. The writer, the bulk build,
``load --replace``, ``cypher --write`` and ``reset`` all write inside it, so
none of them can leave the derived relationships stale or a change unsaved.
A write that fails leaves the lock and keeps whatever its own caller undoes
(a bulk build drops its new graph); nothing is refreshed or saved on top of
a half-made change.

Writes nest: a writer inside a load's ``writing`` takes no second lock, and
the outermost one finishes the graph once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from citygraph.store import Store
from citygraph.upkeep import partners, reach
from citygraph.upkeep.upgrade import upgrade


@contextmanager
def writing(store: Store, *, exclusive: bool = False) -> Iterator[Store]:
    """Write to ``store`` inside: locked, an older graph upgraded first; the derived relationships refreshed and
    the graph saved after."""
    if store.writes_open:
        yield store  # the enclosing writing() finishes the graph
        return
    with store.loading(exclusive=exclusive):
        store.writes_open = True
        try:
            store.create_if_missing()  # a named graph that does not exist yet: a write makes it
            upgrade(store)
            yield store
        finally:
            store.writes_open = False
        reach.refresh(store)
        partners.refresh(store)
        store.save()
