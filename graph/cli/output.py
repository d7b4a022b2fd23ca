"""Rows to the terminal: a rich table, one JSON array, or CSV.

Only rows go to stdout; messages go to stderr, so ``--format json`` pipes
into ``jq`` and ``--format csv`` into a spreadsheet. JSON and CSV need no
rich: the table is drawn by :mod:`.console`, imported when a table is.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TextIO

from citygraph.cli.text import terminal_text

#: A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a string that would start a formula gets a leading ``'``."""
    text = cell(value, exact=True)
    return "'" + text if isinstance(value, str | list) and text.startswith(FORMULA_START) else text


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
        from citygraph.cli.console import print_table

        print_table([[terminal_text(cell(row.get(c))) for c in cols] for row in rows], cols, title, out,
                    whole=WHOLE_CELLS)
