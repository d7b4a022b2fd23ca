"""Word reports (``.docx``), read with python-docx: paragraphs by their style (headings, list items, body
text) and tables row by row with their first row as header, in document order. A numbered list's items
get their numbers back (Word keeps them in the list's definition, not in the text), so ``3. Lyon – Shantou``
reads as it prints. A block's locator is ``paragraph N`` or ``table T row R``."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from citygraph.core.errors import InputError
from citygraph.loaders.documents.blocks import Block, Kind
from citygraph.loaders.formats.tabular import check_size

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: The most a document's parts may unpack to (a small zip can hold a huge document).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_word(path: Path) -> list[Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_size(path, MAX_DOCUMENT_BYTES)
    _check_unpacked(path)
    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises zipfile, KeyError, lxml errors … for a damaged file
        raise InputError(f"cannot be read as a Word document ({type(e).__name__}: {e})", str(path)) from None
    out = _Out(_formats(document))
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            out.paragraph(Paragraph(element, document))
        elif element.tag == f"{W}tbl":
            out.table(Table(element, document))
    return out.blocks


def _check_unpacked(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(f"cannot be read as a Word document (not a .docx zip: {e})", str(path)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"unpacks to {unpacked / 2**20:,.0f} MiB; a report may unpack to at most "
                         f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MiB", str(path))


def _formats(document: Any) -> dict[tuple[str, str], str]:
    """(numId, level) -> the list's number format (``decimal``, ``bullet``, …), from the numbering part."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {a.get(f"{W}abstractNumId"): a for a in numbering.iterchildren(f"{W}abstractNum")}
    found = {}
    for num in numbering.iterchildren(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        definition = abstract.get(ref.get(f"{W}val")) if ref is not None else None
        for lvl in definition.iterchildren(f"{W}lvl") if definition is not None else ():
            fmt = lvl.find(f"{W}numFmt")
            found[(num.get(f"{W}numId"), lvl.get(f"{W}ilvl"))] = fmt.get(f"{W}val") if fmt is not None else ""
    return found


class _Out:
    def __init__(self, formats: dict[tuple[str, str], str]) -> None:
        self.blocks: list[Block] = []
        self.formats = formats
        self.counters: Counter[tuple[str, str]] = Counter()
        self.tables = 0

    def _add(self, kind: Kind, text: str, locator: str | None = None, **table: Any) -> None:
        number = len(self.blocks) + 1
        self.blocks.append(Block(kind, text, number, locator or f"paragraph {number}", **table))

    def paragraph(self, p: Any) -> None:
        text = " ".join(p.text.split())
        if not text:
            return
        style = (p.style.name if p.style is not None else "") or ""
        if style.startswith(("Heading", "Title")):
            self._add(Kind.HEADING, text)
            return
        numbered = self._numbered(p, style)
        if numbered is not None:
            self._add(Kind.LIST_ITEM, numbered + text)
        else:
            self._add(Kind.PARAGRAPH, text)

    def _numbered(self, p: Any, style: str) -> str | None:
        """The item's marker ("3. " or "") if the paragraph is a list item, else None."""
        num = p._p.find(f"{W}pPr/{W}numPr")
        if num is not None:
            num_id, level = num.find(f"{W}numId"), num.find(f"{W}ilvl")
            key = (num_id.get(f"{W}val") if num_id is not None else "",
                   level.get(f"{W}val") if level is not None else "0")
            fmt = self.formats.get(key, "")
        elif style.startswith("List"):
            key, fmt = (style, "0"), "decimal" if "Number" in style else "bullet"
        else:
            return None
        if fmt in ("decimal", "decimalZero"):
            self.counters[key] += 1
            return f"{self.counters[key]}. "
        return ""

    def table(self, table: Any) -> None:
        self.tables += 1
        header: tuple[str, ...] = ()
        for r, row in enumerate(table.rows, start=1):
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:  # a merged cell repeats in each column it spans
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
            if r == 1:
                header = tuple(cells)
                continue
            self._add(Kind.TABLE_ROW, " | ".join(cells), f"table {self.tables} row {r}", header=header,
                      cells=tuple(cells))
