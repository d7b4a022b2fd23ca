"""The batched writer: the only loader code that talks to the store.

It writes a checked :class:`~citygraph.loaders.plan.Plan`: the uniqueness
constraints first, then part by part as ``UNWIND $rows AS row MERGE …``
batches, nodes before relationships. A load that fails its checks (in
planning) writes nothing, and loading the same input twice changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from citygraph.loaders.dataset.model import Dataset
from citygraph.loaders.plan import Part, Plan, plan, row_count
from citygraph.loaders.runtime.gcpause import without_cyclic_gc
from citygraph.loaders.write.sender import Sender
from citygraph.model.statements import SCHEMA_KEYS
from citygraph.store import Store
from citygraph.upkeep.writing import writing

log = logging.getLogger(__name__)


@dataclass
class WriteReport:
    """What a write sent: rows, the engine's counters, and items per section."""

    rows: int = 0
    counters: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)


def write_dataset(store: Store, dataset: Dataset, *, batch_size: int = 1000,
                  progress: Callable[[int, int], None] | None = None) -> WriteReport:
    """Check, then write ``dataset``; ``progress(done, total)`` in items after each batch."""
    return write_plan(store, plan(dataset, store), batch_size=batch_size, progress=progress)


def _part_progress(progress: Callable[[int, int], None] | None, before: int, total: int,
                   part: Part) -> Callable[[int], None]:
    """Rows written in ``part`` as items done: its items in proportion to its rows."""
    rows, written = part.rows() or 1, 0

    def tick(n: int) -> None:
        nonlocal written
        written += n
        if progress:
            progress(before + part.item_count * written // rows, total)

    return tick


def _rows_done(tick: Callable[[int], None], n: int) -> Callable[[int], None]:
    """Tell ``tick`` that a batch of ``n`` rows (nodes and relationships) is written."""
    return lambda _batch_rows: tick(n)


@without_cyclic_gc
def write_plan(store: Store, the_plan: Plan, *, batch_size: int = 1000,
               progress: Callable[[int, int], None] | None = None) -> WriteReport:
    """Write a checked plan: constraints first, then part by part, nodes before relationships.

    Batches go out in order on a :class:`~citygraph.loaders.write.sender.Sender` thread while the next part's
    rows are made, so Python and the database work at the same time. It writes inside
    :func:`~citygraph.upkeep.writing.writing` (the caller's, where it holds one), which refreshes REACHES and
    saves the graph when the plan is written.
    """
    with writing(store):
        report = _write(store, the_plan, batch_size, progress)
    if progress:
        total = the_plan.item_count()
        progress(total, total)
    return report


def _write(store: Store, the_plan: Plan, batch_size: int, progress: Callable[[int, int], None] | None) -> WriteReport:
    """The constraints, then the plan part by part."""
    report = WriteReport(sections=the_plan.section_counts())
    store.ensure_schema(SCHEMA_KEYS)
    total, done = the_plan.item_count(), 0
    with Sender(store) as sender:
        for part in the_plan.parts():
            started = time.monotonic()
            tick = _part_progress(progress, done, total, part)
            before = sender.pending
            for statement, rows in part.statements(store.serial_writes):
                for start in range(0, len(rows), batch_size):
                    chunk = rows[start:start + batch_size]
                    n = row_count(chunk)
                    sender.send(statement, chunk, _rows_done(tick, n))
                    report.rows += n
            # The previous part must be written before the next is made: two parts in memory at most.
            sender.drain(keep=sender.pending - before)
            done += part.item_count
            log.debug("part queued: %d items, %d rows; %.2f s to make it and finish the one before",
                      part.item_count, part.rows(),
                      time.monotonic() - started)
        report.counters = sender.close()
    return report
