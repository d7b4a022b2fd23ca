"""Report containers read into one block model (:mod:`.blocks`): a reader per container, text first."""

from __future__ import annotations

from pathlib import Path

from citygraph.loaders.documents.blocks import Block, Kind
from citygraph.loaders.documents.text import MAX_REPORT_BYTES, read_lines

__all__ = ["MAX_REPORT_BYTES", "Block", "Kind", "read_document"]


def read_document(path: Path) -> list[Block]:
    """The blocks of one report file."""
    return read_lines(path)
