"""What the workbench answers, as plain data: one store, one lock, the kept texts.

The routes (:mod:`citygraph.serve.app`) turn requests into these calls and
their results into JSON. Everything reads through the same library face the
CLI uses (named queries, the store's read-only ``read``), so a query answers
here exactly as ``citygraph query`` does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from citygraph.core.errors import ConfigError
from citygraph.model.regions import REGIONS
from citygraph.query import catalog, workbench
from citygraph.query.script import statements
from citygraph.store import Row, Store
from citygraph.store.texts import Texts
from citygraph.views.palette import CHANNEL_COLOURS

T = TypeVar("T")
#: Organisations have no country of their own: one colour for them all, none a region's.
ORGANISATION_COLOUR = "#9a8c7a"
#: Seconds the name index and the overview are kept while the graph's counts stay the same.
KEPT_FOR = 60
#: Rows of a result drawn as a network or on the map (the table shows them all): a network of thousands of
#: rows is a hairball, and finding what each row names costs as much as the query.
GRAPH_ROWS = 300
#: Rows a query may send to the page; the answer says how many there were.
MAX_ROWS = 5000


class Workbench:
    def __init__(self, store: Store, texts: Texts | None = None) -> None:
        self.store = store
        self.texts = texts or Texts()
        self._kept_values: dict[str, tuple[tuple[int, int, int], Any]] = {}
        self._lock = threading.RLock()  # one request at a time reaches the store's connection (a load checks inside)

    def locked(self, work: Callable[[], T]) -> T:
        with self._lock:
            return work()

    def info(self) -> dict[str, Any]:
        counts = self.locked(lambda: catalog.read(self.store, "label-counts"))
        return {"store": self.store.display, "engine": self.store.engine, "counts": counts,
                "regions": REGIONS | {"Organisation": ORGANISATION_COLOUR}, "channels": CHANNEL_COLOURS}

    def search(self, text: str) -> list[dict[str, Any]]:
        return self.locked(lambda: workbench.search(self.store, text))

    def expand(self, key: str, limit: int = workbench.EXPAND_LIMIT) -> dict[str, Any] | None:
        found = self.locked(lambda: workbench.expand(self.store, key, limit))
        if found is None:
            return None
        return {"node": found.node, "neighbours": found.neighbours, "edges": found.edges, "more": found.more}

    def overview(self) -> dict[str, Any]:
        return self._kept("overview", lambda: workbench.overview(self.store))

    def country(self, code: str) -> dict[str, Any]:
        return self.locked(lambda: workbench.country_places(self.store, code))

    def node_provenance(self, key: str) -> list[dict[str, Any]]:
        return self.locked(lambda: workbench.node_provenance(self.store, key, self.texts))

    def link_provenance(self, a: str, b: str) -> dict[str, Any]:
        return self.locked(lambda: workbench.link_provenance(self.store, a, b, self.texts))

    @staticmethod
    def queries() -> list[dict[str, Any]]:
        """Every named query as a form: its parameters typed and documented from its header."""
        return [{"name": q.name, "description": q.description, "columns": list(q.columns),
                 "params": [{"name": p.name, "type": p.type, "required": p.required,
                             "default": None if p.required else p.default, "choices": list(p.choices),
                             "minimum": p.minimum, "help": p.help} for p in q.params]}
                for q in sorted(catalog.named_queries().values(), key=lambda q: q.name)]

    def cypher_of(self, name: str, given: dict[str, Any]) -> str:
        """The named query as Neo4j Browser takes it: ``:param`` lines, then the Neo4j text."""
        query = catalog.get(name)
        return query.for_browser("neo4j", query.bind(given))

    def run_query(self, name: str, given: dict[str, Any]) -> dict[str, Any]:
        query = catalog.get(name)
        rows = self.locked(lambda: catalog.run(self.store, name, given))
        return self._answer(list(query.columns), rows) | {"cypher": self.cypher_of(name, given)}

    def run_cypher(self, text: str, params: dict[str, Any]) -> dict[str, Any]:
        """The analyst's own Cypher, read-only (the database refuses a write); several statements run in order,
        the last one's rows are the answer."""
        script = statements(text)
        if not script:
            raise ConfigError("the query is empty")
        rows: list[Row] = []
        for statement in script:
            rows = self.locked(partial(self.store.read, statement.text, params))
        columns = list(rows[0]) if rows else []
        return self._answer(columns, rows)

    def _kept(self, name: str, read: Callable[[], T]) -> T:
        """``read()``, kept while the graph's node and relationship counts stay the same, for at most
        :data:`KEPT_FOR` seconds (a rename changes no count)."""
        nodes, links = self.locked(lambda: workbench.census(self.store))
        stamp = (nodes, links, int(time.monotonic() // KEPT_FOR))
        kept = self._kept_values.get(name)
        if kept is None or kept[0] != stamp:
            kept = self._kept_values[name] = (stamp, self.locked(read))
        return kept[1]

    def names(self) -> dict[str, dict[str, Any]]:
        """The index of places and organisations by id and name, for what a result's values name."""
        return self._kept("names", lambda: workbench.name_index(self.store))

    def forget(self) -> None:
        """Drop what is kept (after this workbench wrote)."""
        self._kept_values.clear()

    def _answer(self, columns: list[str], rows: list[Row]) -> dict[str, Any]:
        shown, drawn = rows[:MAX_ROWS], rows[:GRAPH_ROWS]
        places = workbench.places_in(drawn, self.names())
        return {"columns": columns, "rows": shown, "total": len(rows), "drawn": len(drawn),
                "graph": workbench.result_graph(drawn, places)}
