"""``citygraph load`` and ``demo``: read, check, write, and say what happened."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from citygraph.errors import InputError
from citygraph.store import Row, Store

#: Loads of more rows than this show a progress bar.
PROGRESS_ABOVE = 2000  # items (places, organisations, cooperations, …)


def load_into(store: Store, paths: list[Path], *, columns: str | None = None, channel: str = "twinning",
              strict: bool = False, batch_size: int = 1000, console: Console | None = None) -> list[Row]:
    from citygraph.loaders.load import bundled_dataset, read_paths
    from citygraph.loaders.writer import plan, write_plan

    console = console or Console(stderr=True)
    if paths:
        loaded = read_paths(paths, columns=columns, channel=channel)
        dataset, unresolved = loaded.dataset, loaded.unresolved
    else:
        dataset, unresolved = bundled_dataset(), []
    for u in unresolved:
        console.print(f"unresolved name: {u.where}: {u.text}", highlight=False, markup=False)
    if unresolved:
        console.print(f"{len(unresolved)} unresolved name(s); add them to the gazetteer "
                      "(aliases or not_entities)", highlight=False)
        if strict:
            raise InputError(f"--strict: {len(unresolved)} unresolved name(s), nothing written "
                             f"(first: {unresolved[0].where}: {unresolved[0].text})")
    the_plan = plan(dataset, store)
    total = the_plan.items()
    if total > PROGRESS_ABOVE:
        with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task("load", total=total)
            report = write_plan(store, the_plan, dataset, batch_size=batch_size,
                                progress=lambda done, _: bar.update(task, completed=done))
    else:
        report = write_plan(store, the_plan, dataset, batch_size=batch_size)
    store.save()
    c = report.counters
    console.print(f"loaded {report.rows} rows into {store.display}: {c.get('nodes_created', 0)} nodes and "
                  f"{c.get('relationships_created', 0)} relationships created, "
                  f"{c.get('properties_set', 0)} properties set", highlight=False)
    rows = [{"what": k, "count": v} for k, v in report.items.items() if v]
    rows += [{"what": k.replace("_", " "), "count": c.get(k, 0)}
             for k in ("nodes_created", "relationships_created", "properties_set")]
    rows.append({"what": "unresolved names", "count": len(unresolved)})
    return rows
