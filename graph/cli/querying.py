"""Commands that ask the graph questions: queries, query, cypher."""

from __future__ import annotations

import logging
import sys
import textwrap
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from citygraph.cli.output import Format, emit
from citygraph.cli.state import FormatOpt, ParamOpt, state, stderr
from citygraph.core.errors import CitygraphError, ConfigError, InputError, UnknownQuery
from citygraph.query.params import parse_param_map, parse_params

if TYPE_CHECKING:
    from citygraph.query.catalog import NamedQuery
    from citygraph.query.script import Statement
    from citygraph.store import Row, Store

log = logging.getLogger(__name__)

ParamMapOpt = Annotated[str | None, typer.Option(
    "--params", "-P", metavar="JSON",
    help='Parameters as one JSON object, e.g. \'{"bloc": "India", "min_partners": 2}\' (with -p, -p wins).')]
WIDTH = 80


class Engine(StrEnum):
    NEO4J = "neo4j"
    FALKORDB = "falkordb"


def queries(fmt: FormatOpt = Format.TABLE) -> None:
    """The named queries, their parameters (type, default, meaning) and columns.

    Details and an example for one query:  citygraph query NAME --help
    """
    from citygraph.query.catalog import named_queries

    rows = [{"name": q.name, "description": q.description,
             "parameters": [f"{p.describe()} — {p.help}" if p.help else p.describe() for p in q.params],
             "columns": list(q.columns)}
            for q in named_queries().values()]
    emit(rows, fmt, columns=["name", "description", "parameters", "columns"])


def query_help(q: NamedQuery) -> str:
    """A named query's manual page: what it answers, each parameter, its columns, an example."""
    wrap = textwrap.TextWrapper(width=WIDTH, subsequent_indent="    ")
    lines = [f"Usage: citygraph query {q.name} [-p KEY=VALUE]... [-P JSON] [-f FORMAT] [--show]", ""]
    lines += textwrap.wrap(q.description, WIDTH) + ["", "Parameters:" if q.params else "Parameters: none"]
    for p in q.params:
        default = "required" if p.required else f"default {p.default if p.default != '' else 'empty'}"
        lines += wrap.wrap(f"  {p.name} ({p.type}, {default}): {p.help}")
    lines += ["", *wrap.wrap("Columns: " + ", ".join(q.columns)), "", "Example:"]
    lines += wrap.wrap("  " + " ".join(["citygraph query", q.name, *q.example_args()]))
    lines += ["", f"Its Cypher, ready for Neo4j Browser:  citygraph query {q.name} --show"]
    return "\n".join(lines)


def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(
        metavar="NAME", show_default=False, help="A named query (see `citygraph queries`).")] = None,
    param: ParamOpt = None,
    params: ParamMapOpt = None,
    fmt: FormatOpt = Format.TABLE,
    show: Annotated[bool, typer.Option(
        "--show", help="Print the query's Cypher with :param lines (paste into Neo4j Browser) instead of "
                       "running it.")] = False,
    engine: Annotated[Engine, typer.Option(
        "--engine", case_sensitive=False, help="Dialect that --show prints.")] = Engine.NEO4J,
    via: Annotated[str | None, typer.Option(
        "--via", metavar="any|pilots", help="For hubs and bridges: what counts as a partner, any cooperation "
                                            "(the default) or pilot partners only (-p via=… alike).")] = None,
    help_: Annotated[bool, typer.Option(
        "--help", "-h", help="This help; with NAME, that query's parameters and an example.")] = False,
) -> None:
    """Run a named query from the library, read-only.

    Examples:

      citygraph query hubs -p bloc=India

      citygraph query hubs --via pilots          # pilot partners only

      citygraph query partners -p place=Chengdu -f json

      citygraph query hubs --help             # its parameters and columns
    """
    from citygraph.query import catalog

    if name is None and not help_:
        raise UnknownQuery(f"name a query: one of {', '.join(catalog.named_queries())} "
                           "(citygraph queries describes them)")
    if help_ or name is None:
        print(query_help(catalog.get(name)) if name else ctx.get_help())
        return
    q = catalog.get(name)
    given = parse_param_map(params) | parse_params(param) | _via(q, via)
    if show:
        print(q.for_browser(engine.value, given))
        return
    store = state(ctx).store
    rows, more = catalog.answer(store, name, given)
    emit(rows, fmt, columns=list(q.columns), title=q.description_for(given))
    if more:
        stderr().print(f"{len(rows)} rows shown, the first in rank order; there are more "
                       f"(-p {catalog.LIMIT}=N shows up to N)", markup=False)
    if not rows:
        _hint_if_empty(store, name, given)


query.context_settings = {"help_option_names": []}  # type: ignore[attr-defined]


def _via(q: NamedQuery, via: str | None) -> dict[str, str]:
    """``--via`` as the query's ``via`` parameter; a query without one refuses it."""
    if via is None:
        return {}
    if "via" not in {p.name for p in q.params}:
        raise UnknownQuery(f"query {q.name} has no `via` reading (hubs and bridges have)")
    return {"via": via}


def _tell_empty(store: Store) -> None:
    stderr().print(f"the graph at {store.display} is empty: load something first (citygraph load, or "
                   "citygraph demo)", markup=False)


def _hint_if_empty(store: Store, name: str, given: dict) -> None:
    """Why the answer is empty: an empty graph, or what :func:`citygraph.query.empty.why_empty` finds."""
    from citygraph.query.empty import why_empty

    if store.is_empty():
        _tell_empty(store)
        return
    why = why_empty(store, name, given)
    if why:
        stderr().print(f"no rows: {why}", markup=False)


def read_query(text: str | None, file: Path | None) -> str:
    """The Cypher to run: the argument, ``-`` for standard input, or ``--file``."""
    if (text is None) == (file is None):
        raise ConfigError("give the query as an argument, as - (read from standard input), or with --file FILE")
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"cannot read the query: {getattr(e, 'strerror', None) or e}", str(file)) from None
    if text == "-":
        return sys.stdin.read()
    return str(text)


def cypher(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(
        metavar="QUERY", show_default=False,
        help="The Cypher to run, or - to read it from standard input; use $name for values.")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", "-F", metavar="FILE", help="Read the Cypher from this file.")] = None,
    param: ParamOpt = None,
    params: ParamMapOpt = None,
    fmt: FormatOpt = Format.TABLE,
    write: Annotated[bool, typer.Option(
        "--write", help="Allow the query to change the graph (read-only otherwise, enforced by the database).")]
        = False,
) -> None:
    """Run your own Cypher, read-only unless --write.

    Examples:

      citygraph cypher 'MATCH (p:Place {bloc: $b}) RETURN p.name AS name' -p b=India

      echo 'MATCH (n) RETURN count(n) AS n' | citygraph cypher -

      citygraph cypher --file q.cypher -P '{"b": "India"}' -f json

    A file (or text) of several statements separated by ; runs them in
    order, as cypher-shell does; with --write, as one write.
    """
    from citygraph.query.script import statements

    script = statements(read_query(query, file))
    if not script:
        raise ConfigError("the query is empty")
    store = state(ctx).writer if write else state(ctx).store
    values: dict[str, Any] = parse_param_map(params) | parse_params(param)
    if write:
        log.warning("running with --write against %s", store.display)
        from citygraph.upkeep.writing import writing

        with writing(store, exclusive=True):  # never beside a load; REACHES refreshed and saved after it
            results = [_run(store, s, values, len(script), write=True) for s in script]
    else:
        results = [_run(store, s, values, len(script), write=False) for s in script]
    log.info("cypher on %s: %d statement(s), %d rows", store.display, len(script), len(results[-1]))
    _emit_results(results, fmt)
    if not results[-1] and store.is_empty():
        _tell_empty(store)


def _run(store: Store, statement: Statement, values: dict[str, Any], count: int, *, write: bool) -> list[Row]:
    """One statement of a script; its error names the statement and its line where the script has several."""
    try:
        if not write:
            return store.read(statement.text, values)
        rows, counters = store.write(statement.text, values)
    except CitygraphError as e:
        if count > 1:
            e.message = f"statement at line {statement.line}: {e.message}"
        raise
    changed = {k: v for k, v in counters.items() if v}
    where = f"line {statement.line}: " if count > 1 else ""
    stderr().print(f"{where}changed: " + (", ".join(f"{k.replace('_', ' ')} {v}" for k, v in changed.items())
                                     or "nothing"), markup=False)
    return rows


def _emit_results(results: list[list[Row]], fmt: Format) -> None:
    """One statement's rows as usual; a script's: each that returns rows, in order (json: an array of them)."""
    with_rows = [rows for rows in results if rows] or results[-1:]
    if len(with_rows) > 1 and fmt is Format.CSV:
        raise ConfigError(f"{len(with_rows)} statements return rows, and CSV holds one table: run them one by one, "
                          "or use `format` json or table")
    if len(with_rows) > 1 and fmt is Format.JSON:
        import io
        import json

        parts = []
        for rows in with_rows:
            buffer = io.StringIO()
            emit(rows, fmt, out=buffer)
            parts.append(json.loads(buffer.getvalue()))
        sys.stdout.write(json.dumps(parts, ensure_ascii=False, indent=2) + "\n")
        return
    for rows in with_rows:
        emit(rows, fmt)

