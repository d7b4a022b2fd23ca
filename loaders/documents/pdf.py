"""PDF reports, read with pdfplumber: each page's tables as rows under their header (a cell that wraps over
several lines is one cell), and the text around them as lines, indented as printed so bullets and their
continuations read as in a text file. A block's locator is ``p3:14`` (page 3, line 14) or ``p3 table 1
row 2``. A PDF with no text layer (a scan), an encrypted or a damaged one is refused with one message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from citygraph.core.errors import InputError
from citygraph.loaders.documents.blocks import Block, Kind
from citygraph.loaders.formats.tabular import check_size

MAX_PDF_BYTES = 128 * 1024 * 1024
MAX_PAGES = 2_000
#: A glyph at the start of a line that the font maps to no character: in reports, a bullet.
UNMAPPED = re.compile(r"^\(cid:\d+\)")


def read_pdf(path: Path) -> list[Block]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    check_size(path, MAX_PDF_BYTES)
    blocks: list[Block] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(f"has {len(pdf.pages):,} pages; a report may have at most {MAX_PAGES:,}", str(path))
            for number, page in enumerate(pdf.pages, start=1):
                blocks += _page(page, number, len(blocks))
    except InputError:
        raise
    except PDFSyntaxError as e:
        raise InputError(f"cannot be read as a PDF ({e})", str(path)) from None
    except Exception as e:  # pdfminer's encryption and parsing errors have no common base
        reason = "it is encrypted: save an unprotected copy" if "password" in str(e).lower() or \
            "encrypt" in type(e).__name__.lower() else f"{type(e).__name__}: {e}"
        raise InputError(f"cannot be read as a PDF ({reason})", str(path)) from None
    if not any(b.text.strip() for b in blocks):
        raise InputError("has no text to read (a scanned PDF without a text layer?); run it through OCR first, "
                         "or give the report as text", str(path))
    return blocks


def _page(page: Any, number: int, before: int) -> list[Block]:
    """A page's lines and table rows in reading order (top to bottom)."""
    tables = page.find_tables()
    rest = page
    for table in tables:
        rest = rest.outside_bbox(table.bbox)
    placed: list[tuple[float, Block]] = []
    lines = rest.extract_text_lines(keep_blank_chars=True)
    left = min((line["x0"] for line in lines), default=0.0)
    gaps = [b["top"] - a["bottom"] for a, b in zip(lines, lines[1:])]
    usual = min((g for g in gaps if g >= 0), default=0.0)  # between the wrapped lines of one paragraph
    for i, line in enumerate(lines, start=1):
        if i > 1 and gaps[i - 2] > usual + 0.3 * (line["bottom"] - line["top"]):  # a paragraph ends above
            placed.append((line["top"] - 0.01, Block(Kind.LINE, "", 0, f"p{number}:{i}")))
        chars = line.get("chars") or []
        width = (line["x1"] - line["x0"]) / max(len(line["text"]), 1) if chars else 5.0
        indent = " " * max(0, round((line["x0"] - left) / max(width, 1.0)))
        text = UNMAPPED.sub("•", line["text"])  # a bullet glyph the font maps to no character
        placed.append((line["top"], Block(Kind.LINE, indent + text, 0, f"p{number}:{i}")))
    for t, table in enumerate(tables, start=1):
        rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
        header = tuple(rows[0]) if rows else ()
        for r, cells in enumerate(rows[1:], start=2):
            placed.append((table.bbox[1] + r / 1000, Block(Kind.TABLE_ROW, " | ".join(cells), 0,
                                                            f"p{number} table {t} row {r}", header=header,
                                                            cells=tuple(cells))))
    placed.sort(key=lambda pair: pair[0])
    return [Block(b.kind, b.text, before + k, b.locator, b.header, b.cells)
            for k, (_, b) in enumerate(placed, start=1)]
