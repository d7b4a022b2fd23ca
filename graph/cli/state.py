"""What every command shares: the resolved settings, the store opened on first use, common options."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated

import typer

from citygraph.cli.output import Format

if TYPE_CHECKING:
    from citygraph.cli.console import SafeConsole
    from citygraph.core.config import Settings
    from citygraph.store import Store


@cache
def stderr() -> SafeConsole:
    """Messages, progress and errors: stderr, so stdout carries only rows (made on first use: rich is not free)."""
    from citygraph.cli.console import SafeConsole

    return SafeConsole(stderr=True, soft_wrap=True)


class AppState:
    """What the global options resolve to; the store opens on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The store, for a command that reads: an embedded database that is not there is not created."""
        return self._open(create=False)

    def _open(self, *, create: bool) -> Store:
        if self._store is None:
            from citygraph.store import open_store

            self._store = open_store(settings=self.settings, create=create)
        return self._store

    @property
    def writer(self) -> Store:
        """The store, for a command that writes: its folder and graph are created if they do not exist yet."""
        store = self._open(create=True)
        store.create_if_missing()
        return store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", help="table for people; json (one array) or csv for pipes.")]
ParamOpt = Annotated[list[str] | None, typer.Option(
    "--param", "-p", metavar="KEY=VALUE",
    help='A query parameter (repeatable); values are JSON where they parse as JSON (2, true, ["a"]), text otherwise.')]
