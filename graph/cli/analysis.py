"""Commands that analyse and draw the graph: centrality, recommend, render, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from citygraph.cli.output import Format, emit
from citygraph.cli.state import FormatOpt, err, state
from citygraph.errors import ConfigError


def centrality(
    ctx: typer.Context,
    metric: Annotated[str, typer.Option(
        "--metric", "-m", metavar="METRIC", help="degree, betweenness, closeness, eigenvector or pagerank.")]
        = "degree",
    view: Annotated[str, typer.Option(
        "--view", metavar="VIEW",
        help="places (cities and regions), organisations, or bipartite (Europe × partner edges only).")]
        = "places",
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many rows.")] = 20,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Rank places or organisations by a centrality metric (networkx)."""
    from citygraph import analytics

    if metric not in analytics.METRICS:
        raise ConfigError(f"--metric {metric!r}: one of {', '.join(analytics.METRICS)}")
    if view not in analytics.VIEWS:
        raise ConfigError(f"--view {view!r}: one of {', '.join(analytics.VIEWS)}")
    g = analytics.project(state(ctx).store, view)
    emit(analytics.ranking(g, metric, top), fmt, columns=["rank", "id", "name", "bloc", "kind", "score", "partners"],
         title=f"{metric} centrality, {view} view")


def recommend(
    ctx: typer.Context,
    place: Annotated[str | None, typer.Option(
        "--place", metavar="PLACE", help="Only suggestions for this place (id or name, either side).")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many suggestions.")] = 10,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Suggest new Europe × partner links by link prediction, each with what it rests on.

    A European place is suggested for a partner place when European peers
    that share its partners already work there (Adamic–Adar weighted paths of
    length three on the bipartite view). For places like a given one (same
    bloc, same partners and sectors), run `citygraph query peers`.

    Example:  citygraph recommend --place Lyon --top 3
    """
    from citygraph import analytics

    g = analytics.project(state(ctx).store, "bipartite")
    if place is not None and not analytics.find(g, place):
        raise ConfigError(f"--place {place!r}: no place of that id or name takes part in a Europe × partner "
                          "cooperation")
    emit(analytics.recommend(g, place, top), fmt,
         columns=["europe", "partner", "bloc", "score", "peers", "shared", "because"], title="Suggested partners")


def render(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The HTML file to write.")]
        = Path("citygraph-network.html"),
    focus: Annotated[str | None, typer.Option(
        "--focus", metavar="NAME", help="Draw one place's or organisation's neighbourhood.")] = None,
    bloc: Annotated[str | None, typer.Option(
        "--bloc", metavar="BLOC", help="Only this bloc (Europe, China, India, …) and its partners.")] = None,
    channel: Annotated[str | None, typer.Option(
        "--channel", metavar="CHANNEL", help="Only cooperations of this channel.")] = None,
    max_nodes: Annotated[int, typer.Option(
        "--max-nodes", min=10, max=50_000,
        help="Keep the best-connected nodes up to this many. Above 2,000 the page is laid out once and drawn "
             "still (no physics).")] = 2000,
) -> None:
    """Write an interactive network page (pyvis) that opens with no network connection."""
    from citygraph.render import render_page

    page = render_page(state(ctx).store, out, focus=focus, bloc=bloc, channel=channel, max_nodes=max_nodes)
    err.print(f"wrote {page}", markup=False)


def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="graphml or gexf (Gephi, networkx), csv (neo4j-admin import headers, a folder), cypher (a script for "
             "an empty Neo4j).")] = "graphml",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="PATH", help="File (folder for csv). Default: citygraph.<format>.")] = None,
) -> None:
    """Export the whole graph for Gephi, networkx, neo4j-admin import or cypher-shell."""
    from citygraph.export import export as run_export

    target = out or Path(f"citygraph.{fmt}" if fmt != "csv" else "citygraph-csv")
    for path in run_export(state(ctx).store, fmt, target):
        err.print(f"wrote {path}", markup=False)


COMMANDS = (centrality, recommend, render, export)
