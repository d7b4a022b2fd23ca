"""rich on the terminal: the console that shows stored text safely, and the table of rows.

Imported only by what draws (a table, a message on stderr, a progress bar), so
a command that answers in JSON or CSV never loads rich.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from citygraph.cli.text import terminal_text


class SafeConsole(Console):
    """A rich console for stored text: no markup (``[link=…]``, ``[/x]`` print as written), no terminal escapes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, highlight=False, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(terminal_text(o) if isinstance(o, str) else o for o in objects), **kwargs)


def _fitted(needed: list[int], room: int) -> list[int]:
    """Column widths within ``room``: the widest columns give way first, none below 8 (or its need)."""
    widths = [min(n, 4 * max(room, 8)) for n in needed]  # a huge cell is cut at once, not a column at a time
    while sum(widths) > room:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= 8:
            break
        widths[widest] -= 1
    return widths


def print_table(texts: list[list[str]], cols: list[str], title: str | None, out: TextIO, *, whole: bool) -> None:
    """Rows (their cells as terminal text) as a rich table that fits the terminal, or whole cells (``whole``)."""
    needed = [max([len(c), *(len(v[i]) for v in texts)]) for i, c in enumerate(cols)]
    console = SafeConsole(file=out, soft_wrap=False, width=sum(needed) + 3 * len(cols) + 1 if whole else None)
    widths = _fitted(needed, console.width - 3 * len(cols) - 1)
    table = Table(title=Text(terminal_text(title)) if title else None, show_lines=False, header_style="bold")
    for c, w in zip(cols, widths, strict=True):
        table.add_column(Text(terminal_text(c)), overflow="ellipsis", no_wrap=True, width=w)
    for values in texts:
        table.add_row(*map(Text, values))
    console.print(table)
    if not texts:
        SafeConsole(stderr=True).print("(no rows)", style="dim")
