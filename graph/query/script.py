"""A Cypher script: statements separated by ``;`` (outside strings and comments), as cypher-shell runs them."""

from __future__ import annotations

from dataclasses import dataclass

from citygraph.store.guard import code


@dataclass(frozen=True)
class Statement:
    text: str
    line: int  # where it begins in the script


def statements(script: str) -> list[Statement]:
    """The script's statements in order, each with the line it begins on; empty ones (``;;``) are dropped."""
    out: list[Statement] = []
    start = 0
    for i, ch in [*code(script), (len(script), ";")]:
        if ch != ";":
            continue
        piece = script[start:i]
        first = next((j for j, c in code(piece) if not c.isspace()), None)
        if first is not None:  # not only comments and spaces
            out.append(Statement(piece.strip(), script.count("\n", 0, start + first) + 1))
        start = i + 1
    return out
