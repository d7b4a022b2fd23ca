"""The command table: each command's module and its line in ``citygraph --help``, imported only when it runs.

A command's module brings its libraries (rich tables, the loaders, networkx,
the workbench); importing every module to run one command cost more than the
command itself takes on a resident server. :class:`LazyGroup` lists the
commands from this table, and builds a command from its module only when it is
invoked (or its own help asked for). A test checks each summary against the
first paragraph of the command's own help, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from typing import Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup


class Entry(NamedTuple):
    """Where a command lives (``module``, the function or typer app named ``attr``) and its line in the listing."""

    module: str
    attr: str
    summary: str


_LOADING, _QUERYING, _ANALYSIS = "citygraph.cli.loading", "citygraph.cli.querying", "citygraph.cli.analysis"
#: The commands in the README's workflow order: first look, own data, questions, analysis, serving, upkeep.
COMMANDS: dict[str, Entry] = {
    "demo": Entry(_LOADING, "demo", "Load the bundled knowledge base, print the hubs, write the network page."),
    "load": Entry(_LOADING, "load", "Load reports and structured files into the graph (idempotent)."),
    "extract": Entry(_LOADING, "extract", "What the report parser finds, as canonical YAML to review, correct and "
                                          "load."),
    "queries": Entry(_QUERYING, "queries", "The named queries, their parameters (type, default, meaning) and "
                                           "columns."),
    "query": Entry(_QUERYING, "query", "Run a named query from the library, read-only."),
    "cypher": Entry(_QUERYING, "cypher", "Run your own Cypher, read-only unless --write."),
    "centrality": Entry(_ANALYSIS, "centrality", "Rank places or organisations by a centrality metric."),
    "recommend": Entry(_ANALYSIS, "recommend", "Suggest new Europe × partner links, each with what it rests on."),
    "render": Entry(_ANALYSIS, "render", "Write an interactive network page (pyvis) that opens with no network "
                                         "connection."),
    "map": Entry(_ANALYSIS, "map_", "Draw places at their coordinates and cooperations as great-circle arcs."),
    "export": Entry(_ANALYSIS, "export", "Export for Gephi, networkx, neo4j-admin import or cypher-shell."),
    "serve": Entry("citygraph.cli.serving", "serve", "Run the workbench: search, expand, queries, Cypher, the map, "
                                                     "the cited lines."),
    "stats": Entry(_LOADING, "stats", "Node counts per label and relationship counts per type."),
    "generate": Entry(_LOADING, "generate", "Write a reproducible synthetic cooperation network in the canonical "
                                            "CSV format."),
    "reset": Entry(_LOADING, "reset", "Delete the whole graph (asks for --yes)."),
    "server": Entry("citygraph.cli.server", "app", "The embedded database's resident servers: status and stop."),
}


def target(entry: Entry) -> Any:
    """The command's function (or typer app), its module imported."""
    return getattr(importlib.import_module(entry.module), entry.attr)


def build(name: str, entry: Entry, rich_markup_mode: Any) -> Any:
    """The click command typer makes of the entry's function, or the group it makes of its typer app."""
    found = target(entry)
    if isinstance(found, typer.Typer):
        return typer.main.get_group(found)
    single = typer.Typer(rich_markup_mode=rich_markup_mode, add_completion=False)
    single.command(name, context_settings=getattr(found, "context_settings", None))(found)
    return typer.main.get_command(single)


class StandIn(TyperCommand):
    """A command as the listing shows it (its name and summary) until it is built."""


class LazyGroup(TyperGroup):
    """The app's group: every command listed from :data:`COMMANDS`, each built from its module on first use."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._listing = False
        for name, entry in COMMANDS.items():  # stand-ins, so listings, order and "did you mean" need no import
            self.commands.setdefault(name, StandIn(name, help=entry.summary))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if isinstance(command, StandIn) and not self._listing:
            command = self.commands[cmd_name] = build(cmd_name, COMMANDS[cmd_name], self.rich_markup_mode)
        return command

    @contextmanager
    def listing(self) -> Any:
        """While the group's own help is written: commands are their stand-ins, named and summed up."""
        self._listing = True
        try:
            yield
        finally:
            self._listing = False

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with self.listing():
            super().format_help(ctx, formatter)
