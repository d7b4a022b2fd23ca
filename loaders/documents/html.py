"""Web pages (``.html``, ``.htm``), read with Beautiful Soup: headings, paragraphs, list items (an ordered
list's items keep their numbers) and table rows with their header, in document order. Scripts, styles,
navigation and forms are not the report. A block's locator is its place in the page: ``paragraph 12``,
``table 2 row 5``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from citygraph.core.errors import InputError
from citygraph.loaders.documents.blocks import Block, Kind
from citygraph.loaders.documents.text import MAX_REPORT_BYTES, checked_text

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED = {"script", "style", "nav", "form", "noscript", "template", "head", "svg"}
PARAGRAPHS = {"p", "dt", "dd", "blockquote", "figcaption", "caption", "address"}
INLINE = {"a", "abbr", "b", "br", "cite", "code", "em", "i", "mark", "q", "small", "span", "strong", "sub", "sup", "u"}


class _Page:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables = 0

    def add(self, kind: Kind, text: str, locator: str | None = None, **table: Any) -> None:
        text = " ".join(text.split())
        if text or table:
            number = len(self.blocks) + 1
            self.blocks.append(Block(kind, text, number, locator or f"paragraph {number}", **table))


def read_html(path: Path) -> list[Block]:
    import warnings

    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, ParserRejectedMarkup

    text = checked_text(path, MAX_REPORT_BYTES)
    with warnings.catch_warnings():  # a page of one short line is still a page, not a file name
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        try:
            soup = BeautifulSoup(text, "html.parser")
        except ParserRejectedMarkup as e:  # e.g. a marked section (<![…) cut short
            reason = str(e).rsplit("\n", 1)[-1].strip().split(": ", 1)[-1] or "the parser refused it"
            raise InputError(f"cannot be read as a web page ({reason})", str(path)) from None
    page = _Page()
    _walk(soup.body or soup, page)
    return page.blocks


def _walk(element: Any, page: _Page) -> None:
    from bs4 import NavigableString, Tag

    loose: list[str] = []  # text directly inside a container: a paragraph of its own
    for child in element.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment or a doctype
                loose.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in SKIPPED:
            continue
        if child.name in INLINE:
            loose.append(child.get_text(" "))
            continue
        page.add(Kind.PARAGRAPH, " ".join(loose))
        loose = []
        _block(child, page)
    page.add(Kind.PARAGRAPH, " ".join(loose))


def _block(tag: Any, page: _Page) -> None:
    if tag.name in HEADINGS:
        page.add(Kind.HEADING, tag.get_text(" "))
    elif tag.name in PARAGRAPHS:
        page.add(Kind.PARAGRAPH, tag.get_text(" "))
    elif tag.name in ("ol", "ul"):
        _list(tag, page)
    elif tag.name == "table":
        _table(tag, page)
    else:
        _walk(tag, page)


def _list(tag: Any, page: _Page) -> None:
    number = int(tag.get("start", 1)) if str(tag.get("start", "1")).isdigit() else 1
    for item in tag.find_all("li", recursive=False):
        nested = [sub.extract() for sub in item.find_all(["ol", "ul"], recursive=False)]
        marker = f"{number}. " if tag.name == "ol" else ""
        page.add(Kind.LIST_ITEM, marker + item.get_text(" "))
        number += 1
        for sub in nested:
            _list(sub, page)


def _table(tag: Any, page: _Page) -> None:
    page.tables += 1
    rows = [tr for tr in tag.find_all("tr") if tr.find_parent("table") is tag]
    header: tuple[str, ...] = ()
    for r, tr in enumerate(rows, start=1):
        cells = tuple(" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"], recursive=False))
        if r == 1 and (tr.find("th") or tr.find_parent("thead")):
            header = cells
            continue
        page.add(Kind.TABLE_ROW, " | ".join(cells), f"table {page.tables} row {r}", header=header, cells=cells)
