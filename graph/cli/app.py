"""The ``citygraph`` command line (typer + rich).

Rows go to stdout in the chosen format; messages, progress and errors go to
stderr. Every :class:`~citygraph.errors.CitygraphError` becomes one line and the
exit code its class carries; a traceback means a bug.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from citygraph import __version__
from citygraph.config import Settings, resolve
from citygraph.errors import CitygraphError
from citygraph.cli.output import Format, emit
from citygraph.params import parse_params

log = logging.getLogger("citygraph.cli")
err = Console(stderr=True, soft_wrap=True)

app = typer.Typer(
    name="citygraph",
    help=(
        "Map city-to-city cooperation as a knowledge graph.\n\n"
        "The graph lives in the embedded FalkorDB database unless --uri (or CITYGRAPH_URI) "
        "names another: bolt://, neo4j://, neo4j+s:// for Neo4j (NEO4J_USERNAME / NEO4J_PASSWORD "
        "from the environment), falkordb://host:port for a FalkorDB server, or a file path.\n\n"
        "Start with:  citygraph demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class AppState:
    """What the global options resolve to; the store opens on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from citygraph.store import open_store

            self._store = open_store(settings=self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def state(ctx: typer.Context) -> AppState:
    return ctx.find_root().obj


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table for people; json (one array) or csv for pipes.")]
ParamOpt = Annotated[Optional[list[str]], typer.Option("--param", "-p", help="A query parameter key=value (repeatable); values are JSON where they parse as JSON (2, true, [\"a\"]), text otherwise.")]


def _version(value: bool) -> None:
    if value:
        print(f"citygraph {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    uri: Annotated[Optional[str], typer.Option("--uri", envvar="CITYGRAPH_URI", help="Database: bolt://, neo4j://, neo4j+s://, falkordb://host:port, or a data file path. Default: the embedded database.", show_envvar=True)] = None,
    database: Annotated[Optional[str], typer.Option("--database", "-d", help="Neo4j database (else NEO4J_DATABASE) or FalkorDB graph name (default citygraph).")] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output on stderr (-vv for debug).")] = 0,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.obj = AppState(resolve(uri, database))
    ctx.call_on_close(ctx.obj.close)


@app.command()
def stats(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """Node counts per label and relationship counts per type."""
    from citygraph.stats import graph_stats

    emit(graph_stats(state(ctx).store), fmt, columns=["kind", "name", "count"])


@app.command()
def cypher(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="The Cypher to run; use $name for values and pass them with -p name=value.")],
    param: ParamOpt = None,
    fmt: FormatOpt = Format.TABLE,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to change the graph (read-only otherwise, enforced by the database).")] = False,
) -> None:
    """Run your own Cypher, read-only unless --write.

    Example:  citygraph cypher 'MATCH (p:Place {bloc: $bloc}) RETURN p.name AS name' -p bloc=India
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


@app.command()
def load(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files to load: .txt reports, .yaml/.json/.csv structured files. None: the bundled knowledge base.", show_default=False)] = None,
    columns: Annotated[Optional[str], typer.Option("--columns", help="Map a CSV of pairs: a=COL,a_country=COL,b=COL,b_country=COL[,date=COL,title=COL,sector=COL].")] = None,
    channel: Annotated[str, typer.Option("--channel", help="Channel of the cooperations a CSV of pairs describes.")] = "twinning",
    strict: Annotated[bool, typer.Option("--strict", help="Fail (and write nothing) when a report names something the gazetteer cannot resolve.")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=100_000, help="Rows per UNWIND batch.")] = 1000,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Load reports and structured files into the graph (idempotent).

    Examples:

      citygraph load                                   # the bundled World Cities knowledge base

      citygraph load report.txt --strict               # a report, through the parser and gazetteer

      citygraph load twins.csv --columns a=city1,a_country=country1,b=city2,b_country=country2 --channel twinning
    """
    from citygraph.loading import load_into

    st = state(ctx)
    summary = load_into(st.store, paths or [], columns=columns, channel=channel, strict=strict,
                        batch_size=batch_size, console=err)
    emit(summary, fmt, columns=["what", "count"])


@app.command()
def demo(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Where to write the network page.")] = Path("citygraph-network.html"),
) -> None:
    """Load the bundled knowledge base, print the hubs, write the network page."""
    from citygraph import catalog
    from citygraph.loading import load_into

    st = state(ctx)
    load_into(st.store, [], console=err)
    err.print(f"[bold]Hubs[/bold]: non-European places that several European pilot partners reach ({st.settings.display})")
    emit(catalog.run(st.store, "hubs", {"bloc": "China"}), Format.TABLE, title="EU–China hubs")
    emit(catalog.run(st.store, "hubs", {"bloc": "India"}), Format.TABLE, title="EU–India hubs")
    emit(catalog.run(st.store, "bridges"), Format.TABLE, title="European bridges")
    from citygraph.render import render_page

    page = render_page(st.store, out)
    err.print(f"wrote {page} — open it in a browser (works offline)")


@app.command("queries")
def list_queries(fmt: FormatOpt = Format.TABLE) -> None:
    """The named queries, their parameters and columns."""
    from citygraph.catalog import catalog

    rows = [{"name": q.name, "description": q.description,
             "parameters": [p.describe() for p in q.params], "columns": list(q.columns)}
            for q in catalog().values()]
    emit(rows, fmt, columns=["name", "description", "parameters", "columns"])


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A named query (see `citygraph queries`).")],
    param: ParamOpt = None,
    fmt: FormatOpt = Format.TABLE,
    show: Annotated[bool, typer.Option("--show", help="Print the query's Cypher (ready for Neo4j Browser) instead of running it.")] = False,
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
    params = parse_params(param)
    rows = catalog.run(state(ctx).store, name, params)
    emit(rows, fmt, columns=list(q.columns), title=q.description)


@app.command()
def centrality(
    ctx: typer.Context,
    metric: Annotated[str, typer.Option("--metric", "-m", help="degree, betweenness, closeness, eigenvector or pagerank.")] = "degree",
    view: Annotated[str, typer.Option("--view", help="places (cities and regions), organisations, or bipartite (Europe × Asia edges only).")] = "places",
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many rows.")] = 20,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Rank places or organisations by a centrality metric (networkx)."""
    from citygraph import analytics
    from citygraph.errors import ConfigError

    if metric not in analytics.METRICS:
        raise ConfigError(f"--metric {metric!r}: one of {', '.join(analytics.METRICS)}")
    if view not in analytics.VIEWS:
        raise ConfigError(f"--view {view!r}: one of {', '.join(analytics.VIEWS)}")
    g = analytics.project(state(ctx).store, view)
    emit(analytics.ranking(g, metric, top), fmt, columns=["rank", "id", "name", "bloc", "kind", "score", "partners"],
         title=f"{metric} centrality, {view} view")


@app.command()
def recommend(
    ctx: typer.Context,
    place: Annotated[Optional[str], typer.Option("--place", help="Only suggestions for this place (id or name, either side).")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many suggestions.")] = 10,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Suggest new Europe × Asia partners by link prediction, each with what it rests on.

    A European place is suggested for an Asian one when European peers that
    share its partners already work there (Adamic–Adar weighted paths of
    length three on the bipartite view).

    Example:  citygraph recommend --place Lyon --top 3
    """
    from citygraph import analytics

    g = analytics.project(state(ctx).store, "bipartite")
    if place is not None and not analytics.find(g, place):
        from citygraph.errors import ConfigError

        raise ConfigError(f"--place {place!r}: no place of that id or name takes part in a Europe × Asia cooperation")
    emit(analytics.recommend(g, place, top), fmt,
         columns=["europe", "partner", "bloc", "score", "peers", "shared", "because"], title="Suggested partners")


@app.command()
def render(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("citygraph-network.html"),
    focus: Annotated[Optional[str], typer.Option("--focus", help="Draw one place's or organisation's neighbourhood.")] = None,
    bloc: Annotated[Optional[str], typer.Option("--bloc", help="Only this bloc (Europe, China, India) and its partners.")] = None,
    channel: Annotated[Optional[str], typer.Option("--channel", help="Only cooperations of this channel.")] = None,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=10, max=50_000, help="Keep the best-connected nodes up to this many. Above 2,000 the page is laid out once and drawn still (no physics).")] = 2000,
) -> None:
    """Write an interactive network page (pyvis) that opens with no network connection."""
    from citygraph.render import render_page

    page = render_page(state(ctx).store, out, focus=focus, bloc=bloc, channel=channel, max_nodes=max_nodes)
    err.print(f"wrote {page}")


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml or gexf (Gephi, networkx), csv (neo4j-admin import headers, a folder), cypher (a script for an empty Neo4j).")] = "graphml",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="File (folder for csv). Default: citygraph.<format>.")] = None,
) -> None:
    """Export the whole graph for Gephi, networkx, neo4j-admin import or cypher-shell."""
    from citygraph.export import export as run_export

    target = out or Path(f"citygraph.{fmt}" if fmt != "csv" else "citygraph-csv")
    for path in run_export(state(ctx).store, fmt, target):
        err.print(f"wrote {path}")


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the canonical CSV files (created if missing).")],
    places: Annotated[int, typer.Option("--places", min=10, max=10_000_000, help="How many places.")] = 1000,
    links: Annotated[Optional[int], typer.Option("--links", min=1, max=100_000_000, help="How many cooperations (default 4 per place).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="The same seed and sizes give the same files.")] = 1,
) -> None:
    """Write a reproducible synthetic cooperation network in the canonical CSV format.

    Places in blocs, organisations of every kind, pilot pairings, cooperations
    with channels, sectors, dates and sources, and heavy-tailed hubs. Load it
    like any structured input:

      citygraph generate --places 10000 --seed 7 --out gen/ && citygraph load gen/*.csv
    """
    from citygraph.loaders.generate import generate as make, write

    net = make(places, links, seed)
    try:
        paths = write(net, out)
    except OSError as e:
        raise CitygraphError(f"cannot write to {out}: {e.strerror}") from None
    err.print(f"wrote {len(net.places)} places, {len(net.organisations)} organisations, {len(net.pilots)} pilots, "
              f"{len(net.cooperations)} cooperations to {out}", highlight=False)
    for path in paths:
        print(path)


@app.command()
def reset(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete every node and relationship.")] = False,
) -> None:
    """Delete the whole graph (asks for --yes)."""
    st = state(ctx)
    if not yes:
        err.print(f"reset deletes every node and relationship in {st.settings.display}; add --yes to confirm")
        raise typer.Exit(2)
    st.store.clear()
    st.store.save()
    err.print(f"graph at {st.settings.display} is empty")


def main() -> None:
    """Console entry point: errors become one line on stderr and an exit code."""
    try:
        app()
    except CitygraphError as e:
        err.print(f"[bold red]citygraph:[/bold red] {escape(str(e))}", highlight=False)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        err.print("citygraph: interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
