"""Report containers read into one block model (:mod:`.blocks`): a reader per container.

``.txt`` (and any other text file) line by line, ``.md`` with its pipe tables, ``.html``/``.htm``,
``.docx`` and ``.pdf``; each block keeps a locator a person can find it by.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from citygraph.loaders.documents.blocks import Block, Kind, Locator
from citygraph.loaders.documents.text import MAX_REPORT_BYTES, read_lines

__all__ = ["CONTAINERS", "MAX_REPORT_BYTES", "TEXT_REPORTS", "Block", "Kind", "Locator", "read_document"]


def _markdown(path: Path) -> list[Block]:
    from citygraph.loaders.documents.markdown import read_markdown

    return read_markdown(path)


def _html(path: Path) -> list[Block]:
    from citygraph.loaders.documents.html import read_html

    return read_html(path)


def _word(path: Path) -> list[Block]:
    from citygraph.loaders.documents.word import read_word

    return read_word(path)


def _pdf(path: Path) -> list[Block]:
    from citygraph.loaders.documents.pdf import read_pdf

    return read_pdf(path)


#: File suffix -> its reader (the readers' libraries are imported when a file of theirs is read).
CONTAINERS: dict[str, Callable[[Path], list[Block]]] = {
    ".txt": read_lines, ".text": read_lines, ".md": _markdown, ".markdown": _markdown,
    ".html": _html, ".htm": _html, ".docx": _word, ".pdf": _pdf,
}


#: Reports that are text files, whose size is bounded as text (the others' readers bound their own).
TEXT_REPORTS = (".txt", ".text", ".md", ".markdown", ".html", ".htm")


def read_document(path: Path) -> list[Block]:
    """The blocks of one report file (a suffix no reader has is read as plain text)."""
    return CONTAINERS.get(path.suffix.lower(), read_lines)(path)
