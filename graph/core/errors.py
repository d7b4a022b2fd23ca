"""One exception root for everything citygraph reports to a user.

The CLI turns each of these into a one-line message and the exit code the
class carries; anything else escaping is a bug and keeps its traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: A field an error's message mentions, in backticks: "allow writes with `write`".
FIELD = re.compile(r"`([a-z][a-z0-9_]*)`")


class CitygraphError(Exception):
    """Root of every error citygraph reports to its user.

    Only its subclasses are raised: each carries the exit code of the README's
    table (nothing exits 1, which Python keeps for a crash). ``option`` is the
    field (setting, argument) the error is about, and the message names other
    fields in backticks; messages never name a command-line flag, so a
    notebook reads ``columns: …`` where the CLI, through :meth:`text`, prints
    ``--columns: …``.
    """

    exit_code = 2

    def __init__(self, message: str = "", *, option: str | None = None) -> None:
        self.message, self.option = message, option
        super().__init__(self.text())

    def text(self, flag: Callable[[str], str] | None = None) -> str:
        """The message, each field named by ``flag(field)`` where given (the CLI: its flag), else as written."""
        body = FIELD.sub(lambda m: flag(m.group(1)), self.message) if flag else self.message
        if self.option:
            body = f"{flag(self.option) if flag else self.option}: {body}"
        return body


class ConfigError(CitygraphError):
    """A setting (URI, scheme, option) is wrong before anything is contacted."""

    exit_code = 2


class ConnectionFailed(CitygraphError):
    """The database cannot be reached, or refused the credentials."""

    exit_code = 3


class AuthenticationFailed(ConnectionFailed):
    """The server answered but refused the credentials."""


class StorageError(CitygraphError):
    """The database could not keep what was written (read-only or full disk); the previous file is intact."""

    exit_code = 6


class OutputError(CitygraphError):
    """An output file (page, export, generated data) could not be written; what was there is kept."""

    exit_code = 6


class ResourceExhausted(CitygraphError):
    """The machine could not give a command what it needed (a worker process was killed, out of memory?)."""

    exit_code = 7


class QueryError(CitygraphError):
    """The database refused a query (syntax, semantics, read-only mode)."""

    exit_code = 4


class ReadOnlyViolation(QueryError):
    """A write was attempted through a read-only call."""


class InputError(CitygraphError):
    """An input file (report, YAML, JSON, CSV) is malformed.

    ``location`` is ``file:line`` (or just the file) so that the message can
    name where the problem is.
    """

    exit_code = 5

    def __init__(self, message: str, location: str | None = None, *, option: str | None = None) -> None:
        self.location = location
        super().__init__(message, option=option)

    def text(self, flag: Callable[[str], str] | None = None) -> str:
        body = super().text(flag)
        return f"{self.location}: {body}" if self.location else body


class RowsRejected(InputError):
    """Rows of the inputs failed their checks; ``rejected`` holds each one (where, reason, cells)."""

    def __init__(self, message: str, rejected: list) -> None:
        self.rejected = rejected
        super().__init__(message)


class UnknownQuery(CitygraphError):
    """A named query or one of its parameters is unknown or missing."""

    exit_code = 2
