"""Commands that fill and empty the graph (demo, load, generate, reset, stats), and extract, which reads a
report for review before it is loaded."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from citygraph.cli.flags import flagged
from citygraph.cli.output import Format, emit
from citygraph.cli.progress import progress_bar
from citygraph.cli.state import FormatOpt, state, stderr
from citygraph.core.errors import ConfigError, OutputError, RowsRejected
from citygraph.loaders import OnError
from citygraph.model.vocabulary import Channel
from citygraph.store import Row, Store
from citygraph.synth import MAX_LINKS, MAX_PLACES

if TYPE_CHECKING:
    from citygraph.loaders import ReadOptions, Rejected, Retraction, Unresolved


EncodingOpt = Annotated[str | None, typer.Option(
    "--encoding", metavar="CODEC", help="Encoding of CSV files that are not UTF-8 (cp1252, latin-1, …).")]
GazetteerOpt = Annotated[Path | None, typer.Option(
    "--gazetteer", metavar="FILE.yaml", help="Extra places and organisations (canonical YAML, with aliases) to "
                                             "resolve names in reports and pair lists.")]
StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="Fail (and write nothing) when a report names something the gazetteer cannot resolve.")]
ReplaceOpt = Annotated[bool, typer.Option(
    "--replace", help="The files are new versions: what earlier loads of the same files (by name) stated, "
                      "whichever documents it cited, and these no longer do is removed (facts no other file or "
                      "document supports), then they are loaded.")]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="Read and check the files and say what the load would do (with --replace, what it would "
                      "retract, by id); nothing is written.")]
BulkOpt = Annotated[bool | None, typer.Option(
    "--bulk/--no-bulk", show_default=False,
    help="Build a new graph with the engine's bulk importer (FalkorDB's GRAPH.BULK, its parts made by one "
         "worker process per core: 2.3× the writer end to end at 10^5 links); the graph must be empty. Default: "
         "in bulk where the graph holds nothing yet. Later loads go on top as usual.")]
ColumnsOpt = Annotated[str | None, typer.Option(
    "--columns", metavar="KEY=COLUMN,...",
    help="Map a table of pairs: a=COL,b=COL[,a_country=COL,b_country=COL,date=COL,title=COL,sector=COL,"
         "a_lat=COL,a_lon=COL,a_geonames=COL,b_lat=…]. Countries as written: names or ISO codes; without a "
         "country column, 'Town, Country' and 'Town, Region' cells are split and bare names looked up "
         "worldwide (each to review).")]
MaxSkippedOpt = Annotated[float, typer.Option(
    "--max-skipped", metavar="PCT", min=0, max=100,
    help="With --on-error skip: fail, writing nothing, when more than this share of the input's rows is skipped.")]
Neo4jImportOpt = Annotated[Path | None, typer.Option(
    "--neo4j-import", metavar="DIR", help="Build a new Neo4j database offline: write neo4j-admin import files "
                                          "here and print the command; nothing is loaded, no database opened.")]


#: Ids a dry run names for each label it would retract; the rest are counted.
SHOWN_IDS = 20


def _replaced(r: Retraction) -> str:
    """What a retraction took out: the documents the files define, and what the files cited."""
    what = [", ".join(r.documents)] if r.documents else []
    if r.files:
        what.append(f"the citations of {', '.join(r.files)}")
    return ", and ".join(what) or "nothing (no file read)"


def _dry_run(store: Store, paths: list[Path], *, options: ReadOptions, strict: bool, on_error: OnError,
             max_skipped: float, replace: bool) -> list[Row]:
    """Read and check as a load does; say what it would write and, with ``replace``, retract (by id)."""
    from citygraph.loaders import prepare, preview_replace

    prepared = prepare(store, paths, options=options, strict=strict, on_error=on_error, max_skipped=max_skipped,
                       on_file=_reading)
    _report_left_out(prepared.unresolved, prepared.rejected, None, prepared.input_size)
    rows: list[Row] = [{"what": f"would load {k}", "count": v} for k, v in prepared.plan.section_counts().items()
                       if v]
    if replace:
        shown = preview_replace(store, prepared)
        for lab, ids in shown.going.items():
            stderr().print(f"would retract {lab} {', '.join(ids[:SHOWN_IDS])}"
                           + (f" … and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""), markup=False)
        rows += [{"what": k, "count": v} for k, v in shown.summary()] or [{"what": "would retract", "count": 0}]
    stderr().print("dry run: nothing written", markup=False)
    return rows


def _load(store: Store, paths: list[Path], *, options: ReadOptions | None = None, strict: bool = False,
          on_error: OnError = OnError.FAIL, max_skipped: float = 10.0, rejects: Path | None = None,
          batch_size: int = 1000, replace: bool = False, bulk: bool | None = None) -> list[Row]:
    """Load with progress, print what happened on stderr; the summary rows."""
    from citygraph.loaders import commit, prepare, write_rejects

    try:
        prepared = prepare(store, paths, options=options, strict=strict, on_error=on_error,
                           max_skipped=max_skipped, on_file=_reading)
    except RowsRejected as e:
        if rejects:
            stderr().print(f"wrote {len(e.rejected)} rejected row(s) to {write_rejects(rejects, e.rejected)}",
                           markup=False)
        raise
    _report_left_out(prepared.unresolved, prepared.rejected, rejects, prepared.input_size)
    for org in prepared.extracted:
        stderr().print(f"extracted organisation: {org}", markup=False)
    with progress_bar("loading", prepared.item_count) as progress:
        result = commit(store, prepared, batch_size=batch_size, progress=progress, replace=replace, bulk=bulk)
    if result.retraction is not None:
        r = result.retraction
        stderr().print(f"replaced {_replaced(r)}: {r.nodes} nodes and {r.relationships} relationships only they "
                       "stated were removed first", markup=False)
    c = result.counters
    how = " (a new graph, built in bulk)" if result.bulk else ""
    stderr().print(f"loaded {result.rows} rows into {store.display}{how}: {c.get('nodes_created', 0)} nodes and "
                   f"{c.get('relationships_created', 0)} relationships created, "
                   f"{c.get('properties_set', 0)} properties set", markup=False)
    return result.summary()


def _neo4j_import(paths: list[Path], folder: Path, *, options: ReadOptions, strict: bool, on_error: OnError,
                  database: str) -> None:
    """Write neo4j-admin import files for ``paths`` and print the command, and what to run after it."""
    from citygraph.loaders import prepare, write_import

    prepared = prepare(None, paths, options=options, strict=strict, on_error=on_error, on_file=_reading)
    _report_left_out(prepared.unresolved, prepared.rejected, None, prepared.input_size)
    done = write_import(prepared.plan, folder, database)
    stderr().print(f"wrote {len(done.paths)} files for neo4j-admin in {folder}", markup=False)
    stderr().print("with the database stopped, import them (a new database) with:", markup=False)
    print(done.command)
    again = " ".join(["citygraph load", *(str(p) for p in paths)])
    stderr().print(f"then, with it started: {again}   (adds the constraints and derived relationships)", markup=False)


def _reading(path: Path) -> None:
    """A line per file worth waiting for, on a terminal or not: reading comes before the loading bar."""
    size = path.stat().st_size if path.is_file() else 0
    if size >= 2**20:
        stderr().print(f"reading {path} ({size / 2**20:.0f} MiB)", markup=False)


def _print_left_out(unresolved: list[Unresolved]) -> tuple[list[Unresolved], list[Unresolved]]:
    """Each unresolved name and each line not read, on stderr; (names, lines not read)."""
    names = [u for u in unresolved if not u.not_read]
    unread = [u for u in unresolved if u.not_read]
    for u in names:
        stderr().print(f"unresolved name: {u.where}: {flagged(u.text)}", markup=False)
    for u in unread:
        stderr().print(f"not read: {u.where}: {u.text.removeprefix('not read: ')}", markup=False)
    return names, unread


def _report_left_out(unresolved: list[Unresolved], rejected: list[Rejected], rejects: Path | None,
                     size: int) -> None:
    """Unresolved names, and skipped rows summed up by reason, on stderr (and the skipped rows in ``rejects``)."""
    from citygraph.loaders import skip_summary, write_rejects

    names, unread = _print_left_out(unresolved)
    if names:
        stderr().print(f"{len(names)} unresolved name(s); add them to the gazetteer "
                       "(aliases or not_entities)")
    if unread:
        stderr().print(f"{len(unread)} line(s) name places of two blocs and were not read as a pairing; write them "
                       "as one (e.g. 'Lyon (France) and Kobe (Japan) were paired'), or put the facts in a YAML file",
                       markup=False)
    for line in skip_summary(rejected, size):
        stderr().print(flagged(line), markup=False)
    if rejected and rejects:
        stderr().print(f"wrote {len(rejected)} skipped row(s) to {write_rejects(rejects, rejected)}", markup=False)


def demo(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="Where to write the network page.")]
        = Path("citygraph-network.html"),
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the page even if the file there is not one citygraph wrote.")] = False,
) -> None:
    """Load the bundled knowledge base, print the hubs, write the network page."""
    from citygraph.query import catalog
    from citygraph.views.render import render_page

    st = state(ctx)
    _load(st.writer, [])
    stderr().print(f"Hubs: non-European places that several European pilot partners reach "
                   f"({st.settings.display})")
    emit(catalog.run(st.store, "hubs", {"bloc": "China"}), Format.TABLE, title="EU–China hubs, any cooperation")
    emit(catalog.run(st.store, "hubs", {"bloc": "China", "via": "pilots"}), Format.TABLE,
         title="EU–China hubs, pilot partners only (--via pilots)")
    emit(catalog.run(st.store, "hubs", {"bloc": "India"}), Format.TABLE, title="EU–India hubs, any cooperation")
    emit(catalog.run(st.store, "bridges"), Format.TABLE, title="European bridges")
    page = render_page(st.store, out, force=force)
    stderr().print(f"wrote {page} — open it in a browser (works offline)", markup=False)


def load(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", show_default=False,
        help="Files to load: reports (.txt, .md, .html, .docx, .pdf); .yaml/.json files; .csv/.tsv/.xlsx "
             "tables. None: the bundled knowledge base.")]
        = None,
    columns: ColumnsOpt = None,
    channel: Annotated[Channel, typer.Option(
        "--channel", metavar="CHANNEL", case_sensitive=False,
        help="Channel of the cooperations a table of pairs describes: twinning, port, university, research, "
             "cluster, tourism, business, government, event or education.")] = Channel.TWINNING,
    on_error: Annotated[OnError, typer.Option(
        "--on-error", help="fail: report every bad row and write nothing; skip: load the good rows, report the "
                           "rest.")] = OnError.FAIL,
    max_skipped: MaxSkippedOpt = 10.0,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", metavar="FILE.csv", help="Write the rejected rows here, with where and why, to fix and "
                                             "load again.")] = None,
    encoding: EncodingOpt = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME", help="Sheet of an .xlsx workbook to read (default: the first).")] = None,
    gazetteer: GazetteerOpt = None,
    strict: StrictOpt = False,
    replace: ReplaceOpt = False,
    dry_run: DryRunOpt = False,
    bulk: BulkOpt = None,
    neo4j_import: Neo4jImportOpt = None,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", metavar="ROWS", min=1, max=100_000, help="Rows per UNWIND batch.")] = 1000,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Load reports and structured files into the graph (idempotent).

    Examples:

      citygraph load                            # the bundled knowledge base

      citygraph load report.docx --strict       # a report, through the parser

      citygraph load twins.csv --replace        # a corrected twins.csv
      citygraph load twins.csv --replace --dry-run   # what would go

      citygraph load big/*.csv --neo4j-import imp/   # for neo4j-admin, offline

      citygraph load twins.csv --on-error skip --rejects fix-me.csv \\
        --columns a=city1,a_country=country1,b=city2,b_country=country2
    """
    from citygraph.loaders import ReadOptions

    options = ReadOptions(columns=columns, channel=channel, encoding=encoding, sheet=sheet, gazetteer=gazetteer)
    if neo4j_import:
        _neo4j_import(paths or [], neo4j_import, options=options, strict=strict, on_error=on_error,
                      database=state(ctx).settings.database or "neo4j")
        return
    run = partial(_dry_run, state(ctx).store) if dry_run else partial(
        _load, state(ctx).writer, rejects=rejects, batch_size=batch_size, bulk=bulk)
    summary = run(paths or [], options=options, strict=strict, on_error=on_error, max_skipped=max_skipped,
                  replace=replace)
    emit(summary, fmt, columns=["what", "count"])


def extract(
    reports: Annotated[list[Path], typer.Argument(metavar="REPORT.txt", show_default=False,
                                                  help="The reports to read.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE.yaml", help="Where to write the YAML (default: stdout).")] = None,
    gazetteer: GazetteerOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the file even if it is not one citygraph wrote.")] = False,
) -> None:
    """What the report parser finds, as canonical YAML to review, correct and load.

    Every item keeps its source lines; where the parser guessed (an
    organisation's kind and place, a town from the world gazetteer, parties
    it assumed, a name it could not resolve) the item has a `review` note.
    Nothing is written to the graph.

      citygraph extract report.txt --out report.yaml

      citygraph load report.yaml                # after reviewing it
    """
    import sys

    from citygraph.core.outputs import MARK, replace_text
    from citygraph.loaders import ReadOptions, keep_texts
    from citygraph.loaders import extract as parse

    found = parse(reports, ReadOptions(gazetteer=gazetteer))
    keep_texts(found.texts)  # so that `serve THIS.yaml` shows each item beside its lines
    text = f"# {MARK}\n{found.text}"
    if out is None:
        sys.stdout.write(text)
    else:
        stderr().print(f"wrote {replace_text(out, text, force=force)}", markup=False)
    _print_left_out(found.unresolved)
    held = ", ".join(f"{n} {section}" for section, n in found.counts.items())
    stderr().print(f"extracted {held}; {found.to_review} item(s) marked for review", markup=False)


def stats(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """Node counts per label and relationship counts per type."""
    from citygraph.analysis.stats import graph_stats

    emit(graph_stats(state(ctx).store), fmt, columns=["kind", "name", "count"])


def generate(
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar="FOLDER", help="Folder for the canonical CSV files (created if missing).")],
    places: Annotated[int, typer.Option("--places", min=10, max=MAX_PLACES, help="How many places.")] = 1000,
    links: Annotated[int | None, typer.Option(
        "--links", min=1, max=MAX_LINKS,
        help="How many cooperations (default 4 per place; at most 1.5 million, as a cooperations.csv `load` "
             "accepts holds no more).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="The same seed and sizes give the same files.")] = 1,
) -> None:
    """Write a reproducible synthetic cooperation network in the canonical CSV format.

    Places in blocs, organisations of every kind, pilot pairings, cooperations
    with channels, sectors, dates and sources, and heavy-tailed hubs. Load it
    like any structured input:

      citygraph generate --places 10000 --seed 7 --out gen/

      citygraph load gen/*.csv
    """
    from citygraph.synth import generate as make
    from citygraph.synth import write

    _check_memory(places, links)
    net = make(places, links, seed)
    try:
        paths = write(net, out)
    except OSError as e:
        raise OutputError(f"cannot write to {out}: {e.strerror}") from None
    stderr().print(f"wrote {len(net.places)} places, {len(net.organisations)} organisations, {len(net.pilots)} pilots, "
                   f"{len(net.cooperations)} cooperations to {out}", markup=False)
    for path in paths:
        print(path)


def _check_memory(places: int, links: int | None) -> None:
    """Refuse a size this machine cannot hold, before holding any of it."""
    import psutil

    from citygraph.synth import memory_needed

    needed, available = memory_needed(places, links), psutil.virtual_memory().available
    if needed > available:
        raise ConfigError(f"a network of {places:,} places and {links or 4 * places:,} cooperations needs about "
                          f"{needed / 2**30:.1f} GiB of memory; {available / 2**30:.1f} GiB is available. "
                          "Ask for fewer, or free memory")


def reset(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete every node and relationship.")] = False,
) -> None:
    """Delete the whole graph (asks for --yes)."""
    st = state(ctx)
    if not yes:
        stderr().print(f"reset deletes every node and relationship in {st.settings.display}; add --yes to confirm",
                       markup=False)
        raise typer.Exit(2)
    from citygraph.upkeep.writing import writing

    with writing(st.writer, exclusive=True):  # never under a running load
        st.store.clear()
    stderr().print(f"graph at {st.settings.display} is empty", markup=False)

