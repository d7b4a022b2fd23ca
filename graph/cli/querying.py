"""Commands that ask the graph questions: queries, query, cypher."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from citygraph.cli.output import Format, emit
from citygraph.cli.state import FormatOpt, ParamOpt, err, state
from citygraph.params import parse_params

log = logging.getLogger(__name__)


def queries(fmt: FormatOpt = Format.TABLE) -> None:
    """The named queries, their parameters and columns."""
    from citygraph.catalog import named_queries

    rows = [{"name": q.name, "description": q.description,
             "parameters": [p.describe() for p in q.params], "columns": list(q.columns)}
            for q in named_queries().values()]
    emit(rows, fmt, columns=["name", "description", "parameters", "columns"])


def query(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="A named query (see `citygraph queries`).")],
    param: ParamOpt = None,
    fmt: FormatOpt = Format.TABLE,
    show: Annotated[bool, typer.Option(
        "--show", help="Print the query's Cypher (ready for Neo4j Browser) instead of running it.")] = False,
) -> None:
    """Run a named query from the library, read-only.

    Example:  citygraph query partners -p place=Chengdu --format json
    """
    from citygraph import catalog

    q = catalog.get(name)
    if show:
        engine = "neo4j" if state(ctx).settings.engine == "neo4j" else "falkordb"
        params = "\n".join(f"// :param {p.name} => {p.default!r}" if not p.required else f"// :param {p.name} => …"
                           for p in q.params)
        print(f"// {q.name}: {q.description}\n{params}\n{q.text_for(engine)}")
        return
    rows = catalog.run(state(ctx).store, name, parse_params(param))
    emit(rows, fmt, columns=list(q.columns), title=q.description)


def cypher(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(
        metavar="QUERY", help="The Cypher to run; use $name for values and pass them with -p name=value.")],
    param: ParamOpt = None,
    fmt: FormatOpt = Format.TABLE,
    write: Annotated[bool, typer.Option(
        "--write", help="Allow the query to change the graph (read-only otherwise, enforced by the database).")]
        = False,
) -> None:
    """Run your own Cypher, read-only unless --write.

    Example:

      citygraph cypher 'MATCH (p:Place {bloc: $bloc}) RETURN p.name AS name' -p bloc=India
    """
    store = state(ctx).store
    params = parse_params(param)
    if write:
        log.warning("running with --write against %s", store.display)
        rows, counters = store.write(query, params)
        store.save()
        changed = {k: v for k, v in counters.items() if v}
        if changed:
            err.print("changed: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in changed.items()))
    else:
        rows = store.read(query, params)
    emit(rows, fmt)


COMMANDS = (queries, query, cypher)
