"""Commands that analyse and draw the graph: centrality, recommend, render, export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from citygraph.analysis.choices import Backend, Metric, View
from citygraph.cli.output import Format, emit
from citygraph.cli.state import FormatOpt, state, stderr
from citygraph.core.errors import ConfigError
from citygraph.model.vocabulary import Channel
from citygraph.views.choices import ExportFormat, ExportView


def centrality(
    ctx: typer.Context,
    metric: Annotated[Metric, typer.Option(
        "--metric", "-m", metavar="METRIC", case_sensitive=False,
        help="degree, betweenness, closeness, eigenvector or pagerank.")] = Metric.DEGREE,
    view: Annotated[View, typer.Option(
        "--view", metavar="VIEW", case_sensitive=False,
        help="places (cities and regions), organisations, or bipartite (Europe × partner edges only).")]
        = View.PLACES,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many rows.")] = 20,
    backend: Annotated[Backend, typer.Option(
        "--backend", metavar="NAME", case_sensitive=False,
        help="auto (the fastest installed), rustworkx, networkit or networkx.")]
        = Backend.AUTO,
    sample: Annotated[int | None, typer.Option(
        "--sample", metavar="K", min=1,
        help="Estimate betweenness from K seeded source nodes (the default above 30,000 nodes, 5,000 on "
             "networkx, with K=1000).")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Rank places or organisations by a centrality metric.

    Examples:

      citygraph centrality --metric pagerank --top 10

      citygraph centrality -m betweenness --sample 500 -f csv > bc.csv
    """
    from citygraph.analysis import analytics

    with stderr().status(f"projecting the {view.value} view"):
        g = analytics.project(state(ctx).store, view.value)
    with stderr().status(f"{metric.value} centrality on {g.number_of_nodes():,} nodes"):
        rows, scores = analytics.ranking(g, metric.value, top, backend=backend.value, sample=sample)
    how = f"{scores.backend}, {scores.mode}"
    if scores.estimate:
        stderr().print(f"{metric.value}: an estimate ({how}); --sample K sets the sources, larger is closer",
                       markup=False)
    emit(rows, fmt, columns=["rank", "id", "name", "bloc", "kind", "score", "partners"],
         title=f"{metric.value} centrality, {view.value} view ({how})")


def recommend(
    ctx: typer.Context,
    place: Annotated[str | None, typer.Option(
        "--place", metavar="PLACE", help="Only suggestions for this place (id or name, either side).")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many suggestions.")] = 10,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Suggest new Europe × partner links, each with what it rests on.

    A European place is suggested for a partner place when European peers
    that share its partners already work there (Adamic–Adar weighted paths of
    length three on the bipartite view). For places like a given one (same
    bloc, same partners and sectors), run `citygraph query peers`.

    Example:  citygraph recommend --place Lyon --top 3
    """
    from citygraph.analysis import analytics

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
    channel: Annotated[Channel | None, typer.Option(
        "--channel", case_sensitive=False, help="Only cooperations of this channel.")] = None,
    size_by: Annotated[Metric | None, typer.Option(
        "--size-by", metavar="METRIC", case_sensitive=False,
        help="Size nodes by a centrality metric (degree, betweenness, closeness, eigenvector, pagerank) instead "
             "of their partners in other blocs.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the output even if it is not a file citygraph wrote.")] = False,
    max_nodes: Annotated[int, typer.Option(
        "--max-nodes", min=10, max=50_000,
        help="Keep the best-connected nodes up to this many. Above 2,000 the page is laid out once and drawn "
             "still (no physics).")] = 2000,
) -> None:
    """Write an interactive network page (pyvis) that opens with no network connection."""
    from citygraph.views.render import network_data, shown, write_page

    data = network_data(state(ctx).store, focus=focus, bloc=bloc, channel=channel.value if channel else None,
                        max_nodes=max_nodes, size_by="partners" if size_by is None else size_by.value)
    if not data["nodes"]:
        where = " and ".join(f"{what} {value}" for what, value in (
            ("in bloc", bloc), ("of channel", channel and channel.value), ("around", focus)) if value)
        stderr().print(f"nothing matches: no cooperation{' ' + where if where else ' in the graph'}; the page is empty",
                       markup=False)
    page = write_page(data, out, force=force)
    more = " (--max-nodes shows more)" if data["trimmed"] else ""
    stderr().print(f"wrote {page}: {shown(data)}{more}, {len(data['edges']):,} edges", markup=False)


class MapFormat(StrEnum):
    HTML = "html"
    SVG = "svg"
    PNG = "png"


def map_(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE", help="Where to write it. Default: citygraph-map.html (or .svg).")] = None,
    focus: Annotated[str | None, typer.Option(
        "--focus", metavar="PLACE", help="One place (id, name or alias) and its partners.")] = None,
    channel: Annotated[Channel | None, typer.Option(
        "--channel", metavar="CHANNEL", case_sensitive=False, help="Only cooperations of this channel.")] = None,
    bloc: Annotated[str | None, typer.Option(
        "--bloc", metavar="BLOC", help="Only links that touch this bloc (Europe, China, India, Japan, …).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the output even if it is not a file citygraph wrote.")] = False,
    fmt: Annotated[MapFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="html: the page (search, filters); svg or png: a static map for reports (png needs matplotlib).")]
        = MapFormat.HTML,
) -> None:
    """Draw places at their coordinates and cooperations as great-circle arcs.

    Offline: the world outline ships with citygraph. Places without
    coordinates are listed beside the map.

    Examples:

      citygraph map                              # citygraph-map.html

      citygraph map --focus Shantou -f svg -o shantou.svg
    """
    from citygraph.views.worldmap import write_map

    target = out or Path(f"citygraph-map.{fmt.value}")
    path, data = write_map(state(ctx).store, target, fmt=fmt.value, focus=focus,
                           channel=channel.value if channel else None, bloc=bloc, force=force)
    if not data.places:
        stderr().print("nothing to draw: no place with coordinates has a cooperation"
                       + (" of that channel" if channel else ""), markup=False)
    if data.unplaced:
        stderr().print(f"{len(data.unplaced)} place(s) without coordinates, listed beside the map: "
                       + ", ".join(data.unplaced[:10]) + (" …" if len(data.unplaced) > 10 else ""), markup=False)
    stderr().print(f"wrote {path}: {len(data.places)} places, {len(data.links)} links", markup=False)


def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", metavar="FORMAT", case_sensitive=False,
        help="graphml or gexf (Gephi, networkx), csv (neo4j-admin import, a folder), cypher (a script for an "
             "empty Neo4j).")] = ExportFormat.GRAPHML,
    view: Annotated[ExportView | None, typer.Option(
        "--view", metavar="VIEW", case_sensitive=False,
        help="graphml/gexf: places (default) or organisations, the network centrality ranks; full: every node "
             "and relationship. csv and cypher are always full.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="PATH", help="File (folder for csv). Default: citygraph.<format>.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the output even if it is not a file citygraph wrote.")] = False,
) -> None:
    """Export for Gephi, networkx, neo4j-admin import or cypher-shell.

    Examples:

      citygraph export -f gexf -o places.gexf    # open in Gephi

      citygraph export -f csv -o import/         # prints the import command
    """
    from citygraph.views.export import export as run_export

    target = out or Path(f"citygraph.{fmt}" if fmt != "csv" else "citygraph-csv")
    done = run_export(state(ctx).store, fmt.value, target, view.value if view else None, force=force)
    for path in done.paths:
        stderr().print(f"wrote {path}", markup=False)
    if done.command:
        stderr().print("import into an empty Neo4j database (stopped) with:", markup=False)
        print(done.command)

