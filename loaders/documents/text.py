"""Plain-text reports: one block per line, numbered from 1, as the file holds them.

Page breaks (a PDF's text saved as ``.txt``) are spaces; a control
character or more lines than a report can have is refused with where it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from citygraph.core.errors import InputError
from citygraph.loaders.dataset.model import CONTROL
from citygraph.loaders.documents.blocks import Block, Kind
from citygraph.loaders.formats.tabular import read_text

MAX_REPORT_BYTES = 16 * 1024 * 1024
#: Most lines one report may have (the World Cities reports have under 200).
MAX_REPORT_LINES = 100_000


def checked_text(path: Path, max_bytes: int = MAX_REPORT_BYTES) -> str:
    """A text report's text; an InputError naming file and line if it cannot be one."""
    text = read_text(path, max_bytes=max_bytes).replace("\f", " ")
    control = CONTROL.search(text)
    if control:
        raise InputError(f"contains the control character U+{ord(control.group()):04X}; remove it",
                         f"{path}:{text.count(chr(10), 0, control.start()) + 1}")
    lines = text.count("\n") + 1
    if lines > MAX_REPORT_LINES:
        raise InputError(
            f"has {lines:,} lines; a report may have at most {MAX_REPORT_LINES:,} "
            "(for bulk data use the structured CSV format)",
            str(path),
        )
    return text


#: A line of a pipe table (``| Lyon | Shantou |``) and the line under its header (``|---|:--|``).
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")


def read_lines(path: Path) -> list[Block]:
    """The report's lines as :attr:`Kind.LINE` blocks; a pipe table's rows as table rows under its header."""
    lines = checked_text(path).splitlines()
    blocks: list[Block] = []
    header: tuple[str, ...] | None = None
    for number, raw in enumerate(lines, start=1):
        if not PIPE_ROW.match(raw):
            header = None
            blocks.append(Block(Kind.LINE, raw, number, str(number)))
        elif PIPE_RULE.match(raw):
            continue
        elif header is None and number < len(lines) and PIPE_RULE.match(lines[number]):
            header = _cells(raw)
        else:
            cells = _cells(raw)
            blocks.append(Block(Kind.TABLE_ROW, " | ".join(cells), number, str(number), header=header or (),
                                cells=cells))
            header = header or ()
    return blocks


def _cells(line: str) -> tuple[str, ...]:
    return tuple(" ".join(c.split()) for c in line.strip().strip("|").split("|"))
