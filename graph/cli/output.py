"""Rows to the terminal: a rich table, one JSON array, or CSV.

Only rows go to stdout; messages go to stderr, so ``--format json`` pipes
into ``jq`` and ``--format csv`` into a spreadsheet.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

#: Control characters (ESC, BEL, …) that would act on a terminal instead of being shown; \t and \n stay.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")
#: A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_text(text: str) -> str:
    """Stored text as a terminal should show it: control characters made visible (``\\x1b``), never obeyed."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def spreadsheet_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a string that would start a formula gets a leading ``'``."""
    text = cell(value, exact=True)
    return "'" + text if isinstance(value, str | list) and text.startswith(FORMULA_START) else text


class SafeConsole(Console):
    """A rich console for stored text: no markup (``[link=…]``, ``[/x]`` print as written), no terminal escapes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, highlight=False, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(terminal_text(o) if isinstance(o, str) else o for o in objects), **kwargs)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def cell(value: Any, exact: bool = False) -> str:
    """One value as text for a table (floats to 6 digits) or a CSV cell (``exact``: every digit)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(cell(v, exact) for v in value)
    if isinstance(value, dict):
        if "labels" in value and "properties" in value:
            props = value["properties"]
            return str(props.get("name") or props.get("id") or json.dumps(props, ensure_ascii=False))
        if "type" in value and "properties" in value:
            return str(value["type"])
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return repr(value) if exact else f"{value:.6g}"
    return str(value)


def columns_of(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _fitted(needed: list[int], room: int) -> list[int]:
    """Column widths within ``room``: the widest columns give way first, none below 8 (or its need)."""
    widths = [min(n, 4 * max(room, 8)) for n in needed]  # a huge cell is cut at once, not a column at a time
    while sum(widths) > room:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= 8:
            break
        widths[widest] -= 1
    return widths


#: Keep table cells whole (``--wide``) instead of cutting them with … to fit the terminal.
WHOLE_CELLS = False


def emit(rows: Sequence[dict[str, Any]], fmt: Format | str = Format.TABLE, *,
         columns: Sequence[str] | None = None, title: str | None = None,
         out: TextIO | None = None) -> None:
    out = out or sys.stdout
    fmt = Format(fmt)
    cols = columns_of(rows, columns)
    if fmt is Format.JSON:
        json.dump([{c: row.get(c) for c in cols} for row in rows], out, ensure_ascii=False, default=str, indent=2)
        out.write("\n")
    elif fmt is Format.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(cols)
        for row in rows:
            writer.writerow([spreadsheet_cell(row.get(c)) for c in cols])
    else:
        texts = [[terminal_text(cell(row.get(c))) for c in cols] for row in rows]
        needed = [max([len(c), *(len(v[i]) for v in texts)]) for i, c in enumerate(cols)]
        console = SafeConsole(file=out, soft_wrap=False,
                              width=sum(needed) + 3 * len(cols) + 1 if WHOLE_CELLS else None)
        widths = _fitted(needed, console.width - 3 * len(cols) - 1)
        table = Table(title=Text(terminal_text(title)) if title else None, show_lines=False, header_style="bold")
        for c, w in zip(cols, widths, strict=True):
            table.add_column(Text(terminal_text(c)), overflow="ellipsis", no_wrap=True, width=w)
        for values in texts:
            table.add_row(*map(Text, values))
        console.print(table)
        if not rows:
            SafeConsole(stderr=True).print("(no rows)", style="dim")
