"""FalkorDB: embedded (``falkordblite``, the zero-setup default) or a server.

The embedded server's process is started and stopped by
:mod:`citygraph.store.embedded`; this module speaks Cypher to it.

Reads go through ``GRAPH.RO_QUERY``, so the database itself refuses a write
sent as a read. Each query is one atomic operation in FalkorDB.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from citygraph.core.config import DEFAULT_GRAPH, Settings, connect_timeout_s, falkordb_credentials, query_timeout_s
from citygraph.core.errors import ConfigError, ConnectionFailed, QueryError, ReadOnlyViolation, StorageError
from citygraph.model.statements import falkordb_index
from citygraph.store.base import Row, Store, empty_counters
from citygraph.store.embedded import open_server, save_failure_reason, stop_server
from citygraph.store.registry import load_lock, server_lock

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
            "(--uri bolt://…), or rewrite it; the query library keeps NAME.neo4j.cypher variants where the "
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
    bulk_builds = True

    def __init__(self, settings: Settings, *, connect_timeout: float | None = None) -> None:
        self.display = settings.display
        self._graph_name = settings.database or DEFAULT_GRAPH
        self._named, self._missing = settings.database is not None, False
        self._embedded = None
        self._path = settings.path
        self._save_failed = False
        timeout = connect_timeout or connect_timeout_s()
        try:
            if settings.engine == "embedded":
                assert settings.path is not None
                self._embedded = open_server(settings.path)
                db = self._embedded
            else:
                db = self._connect(settings, timeout)
        except redis.AuthenticationError as e:
            raise ConnectionFailed(f"{self.display}: authentication failed") from e
        except redis.TimeoutError as e:
            raise ConnectionFailed(f"FalkorDB at {self.display} did not answer within {timeout:g} s "
                                   "(CITYGRAPH_CONNECT_TIMEOUT); is that the right host and port?") from e
        except (redis.ConnectionError, OSError) as e:
            raise ConnectionFailed(f"cannot reach FalkorDB at {self.display}: {e}") from e
        self._db = db
        self._graph = self._select()

    @staticmethod
    def _connect(settings: Settings, timeout: float) -> Any:
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

    def _select(self):
        """The graph. The default graph is created empty if it does not exist yet (reads need a key); a graph
        named with --database that does not exist is only created by a write, and reads from it are refused
        (a mistyped name would otherwise look like an empty graph)."""
        graph = self._db.select_graph(self._graph_name)
        try:
            if not self._graph_exists():
                if self._named:
                    self._missing = True
                else:
                    graph.query("RETURN 1")
        except redis.RedisError as e:
            raise ConnectionFailed(f"cannot open graph {self._graph_name!r} at {self.display}: {e}") from e
        return graph

    def _graph_exists(self) -> bool:
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
        if self._graph_exists():
            self._missing = False
            return
        others = ", ".join(repr(g) for g in sorted(self._db.list_graphs() or [])) or "none yet"
        raise ConfigError(f"graph {self._graph_name!r} does not exist at {self.display} (graphs there: {others}); "
                          "check --database, or load into it to create it")

    # -- queries -----------------------------------------------------------
    def _run(self, query: str, params: Mapping[str, Any] | None, read_only: bool):
        if self._missing and read_only:
            self._refuse_missing_graph()
        method = self._graph.ro_query if read_only else self._graph.query
        try:
            return method(query, dict(params or {}), timeout=int(query_timeout_s() * 1000))
        except ValueError as e:  # the client writes parameters as a Cypher header, and refuses what it cannot
            raise QueryError(f"FalkorDB cannot take these parameters: {e}") from e
        except redis.ResponseError as e:
            message = str(e)
            if message.startswith("MISCONF"):
                self._save_failed = True
                raise StorageError(f"the database at {self.display} refuses writes: it could not save its file "
                                   "(disk full or read-only?); the file holds the graph as it was before") from e
            if "read-only" in message or "RO_QUERY" in message:
                raise ReadOnlyViolation(
                    "refused: this query writes, and it was run read-only (use --write to allow writes)"
                ) from e
            raise QueryError(f"FalkorDB (the embedded engine) refused the query: {_tidy(message)}"
                             f"{neo4j_only_hint(query)}") from e
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise ConnectionFailed(f"lost the connection to FalkorDB at {self.display}: {e}") from e

    @staticmethod
    def _rows(result) -> list[Row]:
        columns = [h[1] for h in result.header]
        return [{c: plain(v) for c, v in zip(columns, record)} for record in result.result_set]

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._rows(self._run(query, params, read_only=True))

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> tuple[list[Row], dict[str, int]]:
        result = self._run(query, params, read_only=False)
        counters = empty_counters()
        for key in counters:
            counters[key] = int(getattr(result, key, 0) or 0)
        return self._rows(result), counters

    # -- schema ------------------------------------------------------------
    def ensure_schema(self, keys: Iterable[tuple[str, str]]) -> None:
        keys = list(keys)
        indexed = {
            (r["label"], p)
            for r in self.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
            for p in r["properties"]
        }
        for lab, prop in keys:
            if (lab, prop) not in indexed:
                try:
                    self.write(falkordb_index(lab, prop))
                except QueryError as e:
                    if "already indexed" not in str(e).lower():  # another load made it in the meantime
                        raise
        existing = {(c["label"], tuple(c["properties"])) for c in self._constraints()}
        for lab, prop in keys:
            if (lab, (prop,)) not in existing:
                try:
                    self._graph.create_node_unique_constraint(lab, prop)
                except redis.ResponseError as e:
                    if "already exists" in str(e).lower():  # another load made it in the meantime
                        continue
                    raise QueryError(f"cannot create the uniqueness constraint on {lab}.{prop}: {e}") from e

    def _constraints(self) -> list[dict[str, Any]]:
        rows = self.read("CALL db.constraints() YIELD type, label, properties RETURN type, label, properties")
        return [r for r in rows if r["type"] == "UNIQUE"]

    def clear(self) -> None:
        try:
            self._graph.delete()
        except redis.ResponseError as e:
            if "empty key" not in str(e) and "Invalid graph operation" not in str(e):
                raise QueryError(str(e)) from e
        self._graph = self._db.select_graph(self._graph_name)
        self._missing = True
        self.create_if_missing()  # an empty graph, as a writer left it

    # -- bulk build --------------------------------------------------------
    def bulk_begin(self) -> None:
        """Make ready to build the graph with ``GRAPH.BULK``, which numbers nodes from 0 only in a new graph:
        an empty one is dropped and begun anew in one transaction (readers never find it missing); its indexes
        go with it, and the caller makes them again after the build."""
        exists = self._graph_exists()
        if exists:
            held = self.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
            if held:
                raise ConfigError(f"--bulk builds a new graph, and graph {self._graph_name!r} at {self.display} "
                                  f"holds {held:,} nodes: load without --bulk, or `citygraph reset` first")
        begin = self._db.connection.pipeline(transaction=True)
        if exists:
            begin.execute_command("GRAPH.DELETE", self._graph_name)
        begin.execute_command("GRAPH.BULK", self._graph_name, "BEGIN", 0, 0, 0, 0)
        try:
            begin.execute()
        except redis.RedisError as e:
            raise QueryError(f"FalkorDB refused to begin the bulk build: {e}") from e
        self._missing = False

    def bulk(self, nodes: int, edges: int, label_tokens: list[bytes], type_tokens: list[bytes]) -> tuple[int, int]:
        """Send one ``GRAPH.BULK`` command; (nodes, relationships) it created."""
        args: list[Any] = [nodes, edges, len(label_tokens), len(type_tokens), *label_tokens, *type_tokens]
        try:
            reply = self._db.connection.execute_command("GRAPH.BULK", self._graph_name, *args)
        except redis.ResponseError as e:
            raise QueryError(f"FalkorDB refused the bulk build: {e}") from e
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise ConnectionFailed(f"lost the connection to FalkorDB at {self.display}: {e}") from e
        reply = reply.decode() if isinstance(reply, bytes) else str(reply)
        made_nodes, made_edges = (int(part.split()[0]) for part in reply.split(",")[:2])
        return made_nodes, made_edges

    def save(self) -> None:
        """Write the embedded graph to its file now; a failure leaves the previous file as it was."""
        if self._embedded is None:
            return  # a FalkorDB server keeps its own persistence settings
        try:
            self._wait_for_background_save()
            self._embedded.client.execute_command("SAVE")
        except redis.ResponseError as e:
            self._save_failed = True
            reason = save_failure_reason(self._embedded) or f"{e} (disk full or read-only?)"
            raise StorageError(
                f"could not save the graph to {self._path}: {reason}; "
                "the file still holds the graph as it was before this command"
            ) from e
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise ConnectionFailed(f"lost the connection to the embedded database at {self.display}: {e}") from e

    def _wait_for_background_save(self) -> None:
        """A snapshot already being written (the server's own, or another tool's BGSAVE) is waited out:
        SAVE refuses to run beside it. The SAVE that follows writes everything, later writes included."""
        assert self._embedded is not None
        client = self._embedded.client
        timeout = query_timeout_s()
        deadline = time.monotonic() + timeout
        while client.info("persistence").get("rdb_bgsave_in_progress"):
            if time.monotonic() > deadline:
                raise StorageError(
                    f"could not save the graph to {self._path}: the server's background save "
                    f"has run for over {timeout:.0f} s"
                )
            time.sleep(0.05)

    def close(self) -> None:
        if self._embedded is not None:
            with server_lock(self._path):
                stop_server(self._embedded, save=not self._save_failed)
            self._embedded = None


def _tidy(message: str) -> str:
    """FalkorDB's error text, with the position kept and the noise dropped."""
    message = message.replace("errMsg: ", "").replace(" errCtxOffset:", " (offset")
    if "(offset" in message:
        message += ")"
    return message.replace(" errCtx: ", "; near: ")
