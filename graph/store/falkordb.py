"""FalkorDB: embedded (``falkordblite``, the zero-setup default) or a server.

The embedded server's process is started and stopped by
:mod:`citygraph.store.embedded`; this module speaks Cypher to it.

Reads go through ``GRAPH.RO_QUERY``, so the database itself refuses a write
sent as a read. Each query is one atomic operation in FalkorDB.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from citygraph.core.config import DEFAULT_GRAPH, Settings, connect_timeout_s, falkordb_credentials, query_timeout_s
from citygraph.core.errors import ConfigError, ConnectionFailed, QueryError, ReadOnlyViolation, StorageError
from citygraph.model.statements import falkordb_index
from citygraph.store.anew import renew
from citygraph.store.base import Row, Store, empty_counters
from citygraph.store.bulkimport import BulkImporter
from citygraph.store.embedded import save_snapshot
from citygraph.store.guard import check_query
from citygraph.store.registry import QueryTurns, load_lock
from citygraph.store.resident import join, release

#: Neo4j 5 Cypher that FalkorDB's dialect does not have, and how to say so.
NEO4J_ONLY = (
    (re.compile(r"\bEXISTS\s*\{", re.I), "EXISTS { … } subqueries"),
    (re.compile(r"\bCOUNT\s*\{", re.I), "COUNT { … } subqueries"),
    (re.compile(r"\bCOLLECT\s*\{", re.I), "COLLECT { … } subqueries"),
    (re.compile(r"\belementId\s*\(", re.I), "elementId() (FalkorDB has id())"),
    (re.compile(r"^\s*SHOW\s", re.I | re.M), "SHOW commands (FalkorDB: CALL db.indexes(), CALL db.labels())"),
    (re.compile(r"\bCALL\s*\([^)]*\)\s*\{", re.I), "CALL (x) { … } scope clauses (FalkorDB: CALL { WITH x … })"),
)


def neo4j_only_hint(query: str) -> str:
    """A sentence naming the Neo4j-only syntax in ``query``, or nothing."""
    found = [what for pattern, what in NEO4J_ONLY if pattern.search(query)]
    if not found:
        return ""
    return (f". It uses {', '.join(found)}: Neo4j 5 syntax that FalkorDB's dialect lacks. Run it against Neo4j "
            "(a `uri` bolt://…), or rewrite it; the query library keeps NAME.neo4j.cypher variants where the "
            "dialects differ (citygraph query NAME --show --engine falkordb prints the other form)")


#: Result values that are plain Python already (most of them): returned as they are, without a look further.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A FalkorDB result value as plain Python (see :class:`Store`)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list and all(type(v) in _SCALARS for v in value):
        return value  # a list of names, the commonest list in an answer
    from falkordb import Edge, Node
    from falkordb import Path as FPath

    if isinstance(value, Node):
        return {"element_id": str(value.id), "labels": list(value.labels or []),
                "properties": {k: plain(v) for k, v in value.properties.items()}}
    if isinstance(value, Edge):
        return {"element_id": str(value.id), "type": value.relation, "start": str(value.src_node),
                "end": str(value.dest_node), "properties": {k: plain(v) for k, v in value.properties.items()}}
    if isinstance(value, FPath):
        return {"nodes": [plain(n) for n in value.nodes()], "relationships": [plain(e) for e in value.edges()]}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, _dt.date | _dt.time | _dt.datetime):
        return value.isoformat()
    return value


class FalkorStore(Store):
    """A FalkorDB graph, embedded in this process's own server or remote."""

    engine = "falkordb"
    serial_writes = True  # one writer per graph: each write query runs alone

    def __init__(self, settings: Settings, *, connect_timeout: float | None = None, client: Any = None,
                 create: bool = True) -> None:
        """The graph ``settings`` name, on the embedded server of its file (started or joined), on the server its
        URI names, or through ``client``, a ``falkordb.FalkorDB`` the caller made and closes itself."""
        self.display = settings.display
        self._graph_name = settings.database or DEFAULT_GRAPH
        self._named, self._missing = settings.database is not None, False
        self._embedded, self._path = None, settings.path
        self._save_failed = False
        timeout = connect_timeout or connect_timeout_s()
        self.turns = QueryTurns(settings.path if client is None and settings.engine == "embedded" else None)
        if client is None and settings.engine == "embedded":
            path = settings.path
            assert path is not None
            self._embedded = _reached(settings, timeout, lambda: join(path, create=create))
        db = client or self._embedded or _reached(settings, timeout, lambda: _connected(settings, timeout))
        self._db = db
        self._graph = self._select()

    def _select(self):
        """The graph. The default graph is created empty if it does not exist yet (reads need a key); a graph
        named with --database that does not exist is only created by a write, and reads from it are refused
        (a mistyped name would otherwise look like an empty graph)."""
        graph = self._db.select_graph(self._graph_name)
        try:
            if not self.graph_exists():
                if self._named:
                    self._missing = True
                else:
                    with self.turns.turn():
                        graph.query("RETURN 1")
        except redis.RedisError as e:
            raise ConnectionFailed(f"cannot open graph {self._graph_name!r} at {self.display}: {e}") from e
        return graph

    def graph_exists(self) -> bool:
        return self._graph_name in (self._db.list_graphs() or [])

    @contextmanager
    def loading(self, *, exclusive: bool = False) -> Iterator[None]:
        with load_lock(self._path if self._embedded is not None else None, exclusive):
            yield

    def create_if_missing(self) -> None:
        if self._missing:
            self._run("RETURN 1", None, read_only=False)
            self._missing = False

    def _refuse_missing_graph(self) -> None:
        """A read from a graph named with --database that does not exist: name the graphs that do."""
        if self.graph_exists():
            self._missing = False
            return
        others = ", ".join(repr(g) for g in sorted(self._db.list_graphs() or [])) or "none yet"
        raise ConfigError(f"graph {self._graph_name!r} does not exist at {self.display} (graphs there: {others}); "
                          "check `database`, or load into it to create it")

    # -- queries -----------------------------------------------------------
    def _run(self, query: str, params: Mapping[str, Any] | None, read_only: bool):
        check_query(query)
        if self._missing and read_only:
            self._refuse_missing_graph()
        method = self._graph.ro_query if read_only else self._graph.query
        try:
            with self.turns.turn():
                return method(query, dict(params or {}), timeout=int(query_timeout_s() * 1000))
        except ValueError as e:  # the client writes parameters as a Cypher header, and refuses what it cannot
            raise QueryError(f"FalkorDB cannot take these parameters: {e}") from e
        except redis.ResponseError as e:
            self._save_failed = self._save_failed or str(e).startswith("MISCONF")
            raise _refused(str(e), query, self.display) from e
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise ConnectionFailed(f"lost the connection to FalkorDB at {self.display}: {e}") from e

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return _rows(self._run(query, params, read_only=True))

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> tuple[list[Row], dict[str, int]]:
        result = self._run(query, params, read_only=False)
        return _rows(result), _counters(result)

    # -- schema ------------------------------------------------------------
    def ensure_schema(self, keys: Iterable[tuple[str, str]]) -> None:
        keys = list(keys)
        indexed = {(r["label"], p)
                   for r in self.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
                   for p in r["properties"]}
        for lab, prop in keys:
            if (lab, prop) not in indexed:
                try:
                    self.write(falkordb_index(lab, prop))
                except QueryError as e:
                    if "already indexed" not in str(e).lower():  # another load made it in the meantime
                        raise
        rows = self.read("CALL db.constraints() YIELD type, label, properties RETURN type, label, properties")
        with self.turns.turn():
            _add_unique_constraints(self._graph, keys, {(c["label"], tuple(c["properties"])) for c in rows
                                                        if c["type"] == "UNIQUE"})

    def clear(self) -> None:
        try:
            renew(self, "GRAPH.QUERY", self._graph_name, "RETURN 1")  # an empty graph, as a writer left it
        except redis.RedisError as e:
            raise QueryError(f"FalkorDB refused to empty graph {self._graph_name!r}: {e}") from e
        self._graph = self._db.select_graph(self._graph_name)
        self._missing = False

    # -- bulk build --------------------------------------------------------
    def bulk_importer(self) -> BulkImporter:
        return BulkImporter(self)

    @property
    def connection(self) -> Any:
        """The client's connection, for commands the graph API does not wrap (``GRAPH.BULK``)."""
        return self._db.connection

    @property
    def graph_name(self) -> str:
        return self._graph_name

    def graph_made(self) -> None:
        """The graph exists now (a bulk build began it)."""
        self._missing = False

    def save(self) -> None:
        """Write the embedded graph to its file now; a failure leaves the previous file as it was."""
        if self._embedded is None:
            return  # a FalkorDB server keeps its own persistence settings
        try:
            assert self._path is not None  # an embedded server has its file
            with self.turns.turn():
                save_snapshot(self._embedded, self._path, self.display)
        except StorageError as e:
            self._save_failed = isinstance(e.__cause__, redis.ResponseError)  # the server refused to write it
            raise

    def close(self) -> None:
        if self._embedded is not None:
            assert self._path is not None
            release(self._embedded, self._path, save_failed=self._save_failed)
            self._embedded = None


def _reached(settings: Settings, timeout: float, connect: Callable[[], Any]) -> Any:
    """What ``connect`` returns; its failure to reach the server as a ConnectionFailed."""
    try:
        return connect()
    except redis.AuthenticationError as e:
        raise ConnectionFailed(f"{settings.display}: authentication failed") from e
    except redis.TimeoutError as e:
        raise ConnectionFailed(f"FalkorDB at {settings.display} did not answer within {timeout:g} s "
                               "(CITYGRAPH_CONNECT_TIMEOUT); is that the right host and port?") from e
    except (redis.ConnectionError, OSError) as e:
        raise ConnectionFailed(f"cannot reach FalkorDB at {settings.display}: {e}") from e


def _connected(settings: Settings, timeout: float) -> Any:
    """A FalkorDB server: it must connect and answer a PING within ``timeout``; queries then get longer."""
    from falkordb import FalkorDB

    credentials = falkordb_credentials()
    parts = urlsplit(settings.uri)
    options: dict[str, Any] = {
        "host": parts.hostname or "localhost", "port": parts.port or 6379, "username": credentials.user,
        "password": credentials.password, "ssl": parts.scheme == "falkordbs", "socket_connect_timeout": timeout}
    # A server that accepts but never answers would otherwise hold the first request for a query's timeout.
    with redis.Redis(socket_timeout=timeout, retry=Retry(NoBackoff(), 0), **options) as probe:
        probe.ping()
    db = FalkorDB(socket_timeout=max(timeout, query_timeout_s() + 5), **options)
    db.connection.ping()
    return db



def _add_unique_constraints(graph: Any, keys: list[tuple[str, str]],
                            existing: set[tuple[str, tuple[str, ...]]]) -> None:
    """A uniqueness constraint on each ``(label, property)`` that has none yet."""
    for lab, prop in keys:
        if (lab, (prop,)) not in existing:
            try:
                graph.create_node_unique_constraint(lab, prop)
            except redis.ResponseError as e:
                if "already exists" in str(e).lower():  # another load made it in the meantime
                    continue
                raise QueryError(f"cannot create the uniqueness constraint on {lab}.{prop}: {e}") from e


def _counters(result: Any) -> dict[str, int]:
    """What a write changed, in the Store's counter names."""
    return {key: int(getattr(result, key, 0) or 0) for key in empty_counters()}


def _rows(result: Any) -> list[Row]:
    columns = [h[1] for h in result.header]
    return [{c: plain(v) for c, v in zip(columns, record)} for record in result.result_set]


def _refused(message: str, query: str, display: str) -> StorageError | ReadOnlyViolation | QueryError:
    """The error for the engine's refusal of a query."""
    if message.startswith("MISCONF"):
        return StorageError(f"the database at {display} refuses writes: it could not save its file "
                            "(disk full or read-only?); the file holds the graph as it was before")
    if "read-only" in message or "RO_QUERY" in message:
        return ReadOnlyViolation("refused: this query writes, and it was run read-only (allow writes with `write`)")
    if message.strip() == "Query timed out":
        return QueryError(f"the query ran longer than a query may ({query_timeout_s():g} s, "
                          "CITYGRAPH_QUERY_TIMEOUT_MS) and the engine stopped it")
    return QueryError(f"FalkorDB (the embedded engine) refused the query: {_tidy(message)}{neo4j_only_hint(query)}")


def _tidy(message: str) -> str:
    """FalkorDB's error text, with the position kept and the noise dropped."""
    message = message.replace("errMsg: ", "").replace(" errCtxOffset:", " (offset")
    if "(offset" in message:
        message += ")"
    return message.replace(" errCtx: ", "; near: ")
