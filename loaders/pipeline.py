"""One load, start to finish: read, check, write, save; a result, nothing printed.

This is the library call behind ``citygraph load`` and ``demo``, and what a
notebook calls::

    from citygraph.loaders import load
    result = load(store)                 # the bundled knowledge base
    result = load(store, [Path("twins.csv")], columns="a=city1,…")

The caller decides how to show the result (the CLI prints it with rich).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citygraph.errors import InputError
from citygraph.loaders.model import Unresolved
from citygraph.loaders.plan import Plan, plan
from citygraph.loaders.read import bundled_dataset, read_paths
from citygraph.loaders.writer import write_plan
from citygraph.store import Row, Store

log = logging.getLogger(__name__)

#: ``progress(done, total)`` in items (places, organisations, cooperations, …).
Progress = Callable[[int, int], None]


@dataclass
class LoadResult:
    """What one load wrote, and the names it could not resolve."""

    rows: int
    counters: dict[str, int]
    sections: dict[str, int]
    unresolved: list[Unresolved] = field(default_factory=list)

    def summary(self) -> list[Row]:
        """``what`` / ``count`` rows: items per section, the engine's counters, unresolved names."""
        rows: list[Row] = [{"what": k, "count": v} for k, v in self.sections.items() if v]
        rows += [{"what": k.replace("_", " "), "count": self.counters.get(k, 0)}
                 for k in ("nodes_created", "relationships_created", "properties_set")]
        rows.append({"what": "unresolved names", "count": len(self.unresolved)})
        return rows


@dataclass
class Prepared:
    """A load that passed every check and has not written anything yet."""

    plan: Plan
    unresolved: list[Unresolved]

    @property
    def item_count(self) -> int:
        return self.plan.item_count()


def prepare(store: Store, paths: Sequence[Path] = (), *, columns: str | None = None, channel: str = "twinning",
            strict: bool = False) -> Prepared:
    """Read and check ``paths`` (none: the bundled knowledge base); nothing is written.

    With ``strict``, a report name the gazetteer cannot resolve fails here.
    """
    if paths:
        read = read_paths(list(paths), columns=columns, channel=channel)
        dataset, unresolved = read.dataset, read.unresolved
    else:
        dataset, unresolved = bundled_dataset(), []
    if unresolved and strict:
        raise InputError(f"--strict: {len(unresolved)} unresolved name(s), nothing written "
                         f"(first: {unresolved[0].where}: {unresolved[0].text})")
    the_plan = plan(dataset, store)
    log.debug("plan: %d items", the_plan.item_count())
    return Prepared(the_plan, unresolved)


def commit(store: Store, prepared: Prepared, *, batch_size: int = 1000,
           progress: Progress | None = None) -> LoadResult:
    """Write a prepared load and save the graph."""
    report = write_plan(store, prepared.plan, batch_size=batch_size, progress=progress)
    store.save()
    return LoadResult(report.rows, report.counters, report.sections, prepared.unresolved)


def load(store: Store, paths: Sequence[Path] = (), *, columns: str | None = None, channel: str = "twinning",
         strict: bool = False, batch_size: int = 1000, progress: Progress | None = None) -> LoadResult:
    """Load ``paths`` (none: the bundled knowledge base) into ``store`` and save it: :func:`prepare`, then
    :func:`commit`."""
    prepared = prepare(store, paths, columns=columns, channel=channel, strict=strict)
    return commit(store, prepared, batch_size=batch_size, progress=progress)
