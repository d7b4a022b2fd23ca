"""Progress for long work: a bar on a terminal, a line per step when stderr is not one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from citygraph.cli.state import stderr

#: Loads of more items than this show progress.
PROGRESS_ABOVE = 2000


@contextmanager
def progress_bar(what: str, total: int) -> Iterator[Callable[[int, int], None] | None]:
    """``progress(done, total)`` for work of ``total`` items (None where it is too small to need one)."""
    if total <= PROGRESS_ABOVE:
        yield None
        return
    if not stderr().is_terminal:
        last = [-1]

        def line(done: int, all_: int) -> None:
            tenth = done * 10 // max(all_, 1)
            if tenth != last[0]:
                last[0] = tenth
                stderr().print(f"{what}: {done:,} of {all_:,}")

        yield line
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr(), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done, _: bar.update(task, completed=done)
