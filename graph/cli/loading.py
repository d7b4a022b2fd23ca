"""Commands that fill and empty the graph: demo, load, generate, reset, stats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from citygraph.cli.output import Format, emit
from citygraph.cli.progress import progress_bar
from citygraph.cli.state import FormatOpt, err, state
from citygraph.errors import OutputError
from citygraph.store import Row, Store


def _load(store: Store, paths: list[Path], *, columns: str | None = None, channel: str = "twinning",
          strict: bool = False, batch_size: int = 1000) -> list[Row]:
    """Load with progress, print what happened on stderr; the summary rows."""
    from citygraph.loaders.pipeline import commit, prepare

    prepared = prepare(store, paths, columns=columns, channel=channel, strict=strict)
    for u in prepared.unresolved:
        err.print(f"unresolved name: {u.where}: {u.text}", markup=False)
    if prepared.unresolved:
        err.print(f"{len(prepared.unresolved)} unresolved name(s); add them to the gazetteer "
                  "(aliases or not_entities)")
    with progress_bar("loading", prepared.item_count) as progress:
        result = commit(store, prepared, batch_size=batch_size, progress=progress)
    c = result.counters
    err.print(f"loaded {result.rows} rows into {store.display}: {c.get('nodes_created', 0)} nodes and "
              f"{c.get('relationships_created', 0)} relationships created, "
              f"{c.get('properties_set', 0)} properties set", markup=False)
    return result.summary()


def demo(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="Where to write the network page.")]
        = Path("citygraph-network.html"),
) -> None:
    """Load the bundled knowledge base, print the hubs, write the network page."""
    from citygraph import catalog
    from citygraph.render import render_page

    st = state(ctx)
    _load(st.store, [])
    err.print(f"[bold]Hubs[/bold]: non-European places that several European pilot partners reach "
              f"({st.settings.display})")
    emit(catalog.run(st.store, "hubs", {"bloc": "China"}), Format.TABLE, title="EU–China hubs")
    emit(catalog.run(st.store, "hubs", {"bloc": "India"}), Format.TABLE, title="EU–India hubs")
    emit(catalog.run(st.store, "bridges"), Format.TABLE, title="European bridges")
    page = render_page(st.store, out)
    err.print(f"wrote {page} — open it in a browser (works offline)", markup=False)


def load(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", show_default=False,
        help="Files to load: .txt reports, .yaml/.json/.csv structured files. None: the bundled knowledge base.")]
        = None,
    columns: Annotated[str | None, typer.Option(
        "--columns", metavar="KEY=COLUMN,...",
        help="Map a CSV of pairs: a=COL,a_country=COL,b=COL,b_country=COL[,date=COL,title=COL,sector=COL].")]
        = None,
    channel: Annotated[str, typer.Option(
        "--channel", metavar="CHANNEL", help="Channel of the cooperations a CSV of pairs describes.")] = "twinning",
    strict: Annotated[bool, typer.Option(
        "--strict", help="Fail (and write nothing) when a report names something the gazetteer cannot resolve.")]
        = False,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", metavar="ROWS", min=1, max=100_000, help="Rows per UNWIND batch.")] = 1000,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Load reports and structured files into the graph (idempotent).

    Examples:

      citygraph load                            # the bundled knowledge base

      citygraph load report.txt --strict        # a report, through the parser

      citygraph load twins.csv --channel twinning \\
        --columns a=city1,a_country=country1,b=city2,b_country=country2
    """
    summary = _load(state(ctx).store, paths or [], columns=columns, channel=channel, strict=strict,
                    batch_size=batch_size)
    emit(summary, fmt, columns=["what", "count"])


def stats(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """Node counts per label and relationship counts per type."""
    from citygraph.stats import graph_stats

    emit(graph_stats(state(ctx).store), fmt, columns=["kind", "name", "count"])


def generate(
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar="FOLDER", help="Folder for the canonical CSV files (created if missing).")],
    places: Annotated[int, typer.Option("--places", min=10, max=10_000_000, help="How many places.")] = 1000,
    links: Annotated[int | None, typer.Option(
        "--links", min=1, max=100_000_000, help="How many cooperations (default 4 per place).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="The same seed and sizes give the same files.")] = 1,
) -> None:
    """Write a reproducible synthetic cooperation network in the canonical CSV format.

    Places in blocs, organisations of every kind, pilot pairings, cooperations
    with channels, sectors, dates and sources, and heavy-tailed hubs. Load it
    like any structured input:

      citygraph generate --places 10000 --seed 7 --out gen/

      citygraph load gen/*.csv
    """
    from citygraph.loaders.generate import generate as make
    from citygraph.loaders.generate import write

    net = make(places, links, seed)
    try:
        paths = write(net, out)
    except OSError as e:
        raise OutputError(f"cannot write to {out}: {e.strerror}") from None
    err.print(f"wrote {len(net.places)} places, {len(net.organisations)} organisations, {len(net.pilots)} pilots, "
              f"{len(net.cooperations)} cooperations to {out}", markup=False)
    for path in paths:
        print(path)


def reset(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete every node and relationship.")] = False,
) -> None:
    """Delete the whole graph (asks for --yes)."""
    st = state(ctx)
    if not yes:
        err.print(f"reset deletes every node and relationship in {st.settings.display}; add --yes to confirm",
                  markup=False)
        raise typer.Exit(2)
    st.store.clear()
    st.store.save()
    err.print(f"graph at {st.settings.display} is empty", markup=False)


FIRST = (demo, load)
UPKEEP = (stats, generate, reset)
