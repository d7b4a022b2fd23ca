"""One block model for every report container: what a reader hands the report parser.

A block is a heading, a paragraph, a list item, a table row (with its
table's header) or, for plain text, a line, each with the line number facts
cite and a locator a person can find it by (``12`` in a text file; a page
and line, a paragraph or a table row in other containers).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"
    LINE = "line"  # a line of plain text, whose layout the parser reads itself


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    text: str
    line: int  # the number sources cite: a text file's line, else the block's place in the document
    locator: str  # where a person finds it
    header: tuple[str, ...] = ()  # a table row's column names
    cells: tuple[str, ...] = ()  # a table row's cells


class Locator:
    """``file:locator`` of a block by its line number: ``report.txt:12``, ``report.pdf:p2:14``."""

    def __init__(self, path: object, blocks: list[Block]) -> None:
        self.path = path
        self._at = {b.line: b.locator for b in blocks if b.locator != str(b.line)}

    def __call__(self, line: int) -> str:
        return f"{self.path}:{self._at.get(line, line)}"
