"""One load, start to finish: read, check, write, save; a result, nothing printed.

This is the library call behind ``citygraph load`` and ``demo``, and what a
notebook calls::

    from citygraph.loaders import load
    result = load(store)                 # the bundled knowledge base
    result = load(store, [Path("twins.csv")], options=ReadOptions(columns={"a": "city1", …}),
                  on_error=OnError.SKIP)

The caller decides how to show the result (the CLI prints it with rich).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citygraph.core.errors import ConfigError, InputError, RowsRejected
from citygraph.loaders.dataset.model import ReadCounts, Rejected, Unresolved
from citygraph.loaders.formats.rejects import skip_summary
from citygraph.loaders.options import OnError, ReadOptions, on_error_of
from citygraph.loaders.plan import Plan, plan
from citygraph.loaders.read import Loaded, bundled_dataset, read_paths
from citygraph.loaders.write.bulk import bulk_build
from citygraph.loaders.write.retract import Preview, Retraction, preview, retract
from citygraph.loaders.write.writer import write_plan
from citygraph.query import catalog
from citygraph.store import Row, Store
from citygraph.store.texts import DocumentText, Texts
from citygraph.upkeep.writing import writing

log = logging.getLogger(__name__)

#: ``progress(done, total)`` in items (places, organisations, cooperations, …).
Progress = Callable[[int, int], None]


#: Rejected rows named one by one in a failed load's message; the rest are counted.
SHOWN_REJECTS = 20
#: The share of an input (percent of its rows or items) that ``on_error="skip"`` may leave out by default.
MAX_SKIPPED = 10.0


@dataclass
class LoadResult:
    """What one load wrote, what it read, the rows it left out and the names it could not resolve."""

    rows: int
    counters: dict[str, int]
    sections: dict[str, int]
    unresolved: list[Unresolved] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    counts: ReadCounts = field(default_factory=ReadCounts)
    retraction: Retraction | None = None
    bulk: bool = False  # built with the engine's bulk importer

    def summary(self) -> list[Row]:
        """``what`` / ``count`` rows: rows read, items per section, the engine's counters, what was left out."""
        rows: list[Row] = [{"what": k, "count": v} for k, v in self.counts.summary()
                           if v or (k == "rows rejected" and self.counts.rows)]
        rows += [{"what": k, "count": v} for k, v in self.sections.items() if v]
        rows += [{"what": k.replace("_", " "), "count": self.counters.get(k, 0)}
                 for k in ("nodes_created", "relationships_created", "properties_set")]
        rows.append({"what": "unresolved names", "count": sum(1 for u in self.unresolved if not u.not_read)})
        unread = sum(1 for u in self.unresolved if u.not_read)
        if unread:
            rows.append({"what": "lines not read", "count": unread})
        if self.retraction is not None:
            rows += [{"what": k, "count": v} for k, v in self.retraction.summary()]
        return rows


@dataclass
class Prepared:
    """A load that passed every check and has not written anything yet."""

    plan: Plan
    unresolved: list[Unresolved]
    rejected: list[Rejected] = field(default_factory=list)
    counts: ReadCounts = field(default_factory=ReadCounts)
    extracted: list[str] = field(default_factory=list)  # organisations reports named, kinds guessed
    files: list[str] = field(default_factory=list)  # the names of the files read (what ``replace`` retracts)
    texts: list[DocumentText] = field(default_factory=list)  # the reports' blocks, kept before the write

    @property
    def item_count(self) -> int:
        return self.plan.item_count()

    @property
    def input_size(self) -> int:
        """What was read, rejected included: a pair list's rows, else the items of the inputs."""
        return input_size(self.counts, self.plan, self.rejected)


def input_size(counts: ReadCounts, the_plan: Plan, rejected: list[Rejected]) -> int:
    return counts.rows or the_plan.item_count() + len(rejected)


def rejected_message(rejected: list[Rejected], shown: int = SHOWN_REJECTS) -> str:
    """Every rejected row's ``file:line: reason`` (the first ``shown``, then a count), nothing written."""
    lines = [f"{len(rejected)} rejected (rows or items), nothing written "
             "(`on_error` skip loads the others; `rejects` FILE.csv writes these out to fix):"]
    lines += [f"  {r.where}: {r.reason}" for r in rejected[:shown]]
    if len(rejected) > shown:
        lines.append(f"  … and {len(rejected) - shown} more")
    return "\n".join(lines)


def prepare(store: Store | None, paths: Sequence[Path] = (), *, options: ReadOptions | None = None,
            strict: bool = False, on_error: OnError | str = OnError.FAIL, max_skipped: float = MAX_SKIPPED,
            on_file: Callable[[Path], None] | None = None) -> Prepared:
    """Read and check ``paths`` (none: the bundled knowledge base); nothing is written. Without a ``store``
    (a database built offline), names resolve against the gazetteer only, not a graph's places.

    With ``strict``, a report name the gazetteer cannot resolve fails here. With
    ``on_error="fail"`` any rejected row fails the load (all of them named); with
    ``"skip"`` the rows that passed are planned and the rejected ones returned, unless they are more than
    ``max_skipped`` percent of the input: then the load fails, nothing written, and says why rows were left out.
    """
    on_error = on_error_of(on_error)
    if paths:
        read = read_paths(list(paths), options, lambda: catalog.read(store, "place-names") if store else [], on_file)
    else:
        read = Loaded(bundled_dataset())
    if read.rejected and on_error is OnError.FAIL:
        raise RowsRejected(rejected_message(read.rejected), read.rejected)
    if read.unresolved and strict:
        unread = sum(1 for u in read.unresolved if u.not_read)
        what = f"{len(read.unresolved) - unread} unresolved name(s) and {unread} line(s) not read" if unread else \
            f"{len(read.unresolved)} unresolved name(s)"
        raise InputError(f"{what}, nothing written (first: {read.unresolved[0].where}: {read.unresolved[0].text})",
                         option="strict")
    the_plan = plan(read.dataset, store)
    log.debug("plan: %d items", the_plan.item_count())
    total = input_size(read.counts, the_plan, read.rejected)
    if read.rejected and 100 * len(read.rejected) > max_skipped * total:
        lines = skip_summary(read.rejected, total)
        raise RowsRejected("\n".join([f"more rows would be skipped than the {max_skipped:g}% allowed "
                                       "(`max_skipped`), nothing written; " + lines[0], *lines[1:]]), read.rejected)
    return Prepared(the_plan, read.unresolved, read.rejected, read.counts, read.extracted,
                    [p.name for p in paths], read.texts)


def commit(store: Store, prepared: Prepared, *, batch_size: int = 1000, progress: Progress | None = None,
           replace: bool = False, bulk: bool | None = None) -> LoadResult:
    """Write a prepared load and save the graph; with ``replace``, first retract what earlier loads of the
    documents it defines, and of its files, stated (:mod:`citygraph.loaders.write.retract`). ``bulk``: build a
    new graph with the engine's bulk importer (:mod:`citygraph.loaders.write.bulk`); by default, where the
    engine has one and the graph holds nothing yet."""
    if bulk and replace:
        raise ConfigError("`bulk` builds a new graph, so there is nothing for `replace` to replace: use one of them")
    importer = store.bulk_importer()
    if bulk and importer is None:
        raise ConfigError(f"{store.engine} builds new databases offline; write `neo4j_import` files "
                          "and run the command it prints", option="bulk")
    keep_texts(prepared.texts)
    # One write, start to finish: another load or a reset of the same graph waits for it; REACHES and the
    # save come once, after the retraction and the write.
    with writing(store, exclusive=True):
        retraction = None
        if replace:
            documents = [d.id for d in prepared.plan.dataset.documents]
            retraction = retract(store, documents, keep=set(prepared.plan.ids.label),  # what this load names
                                 files=prepared.files)
        if bulk is None:
            bulk = importer is not None and not replace and store.is_empty()
        if bulk:
            report = bulk_build(store, prepared.plan, progress=progress)
        else:
            report = write_plan(store, prepared.plan, batch_size=batch_size, progress=progress)
    return LoadResult(report.rows, report.counters, report.sections, prepared.unresolved, prepared.rejected,
                      prepared.counts, retraction, bulk)


def keep_texts(texts: Sequence[DocumentText]) -> None:
    """Keep the reports' texts for their cited lines (before the graph is written: a text nobody cites is
    harmless; a fact whose lines were lost is not); a folder that cannot be written is a ConfigError."""
    kept = Texts()
    try:
        for text in texts:
            kept.put(text)
    except OSError as e:
        raise ConfigError(f"cannot keep the reports' texts in {kept.root} ({e.strerror or e}); set "
                          "CITYGRAPH_TEXTS to a folder that can be written") from None


def preview_replace(store: Store, prepared: Prepared) -> Preview:
    """What :func:`commit` with ``replace`` would retract before writing ``prepared``; nothing is written."""
    return preview(store, [d.id for d in prepared.plan.dataset.documents], keep=set(prepared.plan.ids.label),
                   files=prepared.files)


def load(store: Store, paths: Sequence[Path] = (), *, options: ReadOptions | None = None, strict: bool = False,
         on_error: OnError | str = OnError.FAIL, max_skipped: float = MAX_SKIPPED, batch_size: int = 1000,
         progress: Progress | None = None,
         replace: bool = False, bulk: bool | None = None) -> LoadResult:
    """Load ``paths`` (none: the bundled knowledge base) into ``store`` and save it: :func:`prepare`, then
    :func:`commit`."""
    prepared = prepare(store, paths, options=options, strict=strict, on_error=on_error, max_skipped=max_skipped)
    return commit(store, prepared, batch_size=batch_size, progress=progress, replace=replace, bulk=bulk)
