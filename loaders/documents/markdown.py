"""Markdown reports (``.md``), read with markdown-it-py (CommonMark, pipe tables on): headings, paragraphs,
list items (an ordered item keeps its number: ``3. Lyon – Shantou``) and table rows with their header, each
at the line it starts on."""

from __future__ import annotations

from pathlib import Path

from citygraph.loaders.documents.blocks import Block, Kind
from citygraph.loaders.documents.text import MAX_REPORT_BYTES, checked_text


def read_markdown(path: Path) -> list[Block]:
    from markdown_it import MarkdownIt

    text = checked_text(path, MAX_REPORT_BYTES)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return list(_blocks(tokens))


def _blocks(tokens: list) -> list[Block]:
    out: list[Block] = []
    lists: list[list[int]] = []  # per open list: [next number] (ordered) or [] (bullets)
    item: list[str] = []  # the marker of the list item being read ("3. " or "")
    header: tuple[str, ...] = ()
    row: list[str] = []
    in_head = False
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind == "ordered_list_open":
            lists.append([int(tok.attrGet("start") or 1)])
        elif kind == "bullet_list_open":
            lists.append([])
        elif kind in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            counter = lists[-1] if lists else []
            item.append(f"{counter[0]}. " if counter else "")
            if counter:
                counter[0] += 1
        elif kind == "list_item_close":
            item.pop()
        elif kind == "thead_open":
            in_head, header = True, ()
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            row.append(_plain(tokens[i + 1]) if tokens[i + 1].type == "inline" else "")
        elif kind == "tr_close":
            if in_head:
                header = tuple(row)
            else:
                out.append(_row(_row_line(tokens, i), header, row))
        elif kind == "inline" and tokens[i - 1].type in ("heading_open", "paragraph_open"):
            line = (tokens[i - 1].map or [0])[0] + 1
            text = _plain(tok)
            if tokens[i - 1].type == "heading_open":
                out.append(Block(Kind.HEADING, text, line, str(line)))
            elif item:
                out.append(Block(Kind.LIST_ITEM, item[-1] + text, line, str(line)))
                item[-1] = ""  # a second paragraph of the item is a paragraph of its own
            else:
                out.append(Block(Kind.PARAGRAPH, text, line, str(line)))
    return out


def _row_line(tokens: list, i: int) -> int:
    """The line a table row closing at ``i`` began on."""
    j = i
    while j > 0 and tokens[j].type != "tr_open":
        j -= 1
    return (tokens[j].map or [0])[0] + 1


def _row(line: int, header: tuple[str, ...], cells: list[str]) -> Block:
    return Block(Kind.TABLE_ROW, " | ".join(cells), line, str(line), header=header, cells=tuple(cells))


def _plain(inline) -> str:
    """An inline token's text without its markup; line breaks are spaces."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())
