"""Query texts the embedded engine must not be handed: nested too deeply, or too long.

FalkorDB's planner takes time exponential in the nesting of brackets
(``RETURN ((((…1…))))`` 24 deep runs for half a minute whatever the query
timeout, which covers execution only), and while it plans, every other command
on the graph waits. A text is refused before it reaches the engine; strings
and comments do not count.
"""

from __future__ import annotations

from collections.abc import Iterator

from citygraph.core.errors import QueryError

#: Deepest nesting of ( [ { a query may have: planning 16 deep takes about 0.2 s, and doubles with each level.
MAX_NESTING = 16
#: Longest query text, in characters (values belong in parameters).
MAX_QUERY_CHARS = 1_000_000

_OPEN, _CLOSE = "([{", ")]}"


def code(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of each character outside strings and comments."""
    quote = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        elif text.startswith("/*", i):
            i = text.find("*/", i + 2)
            i = n if i < 0 else i + 2
            continue
        else:
            yield i, ch
        i += 1


def nesting(text: str) -> tuple[int, int]:
    """The deepest nesting of brackets outside strings and comments, and the offset where it is reached."""
    depth = deepest = at = 0
    for i, ch in code(text):
        if ch in _OPEN:
            depth += 1
            if depth > deepest:
                deepest, at = depth, i
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return deepest, at


def check_query(text: str) -> None:
    """A QueryError (exit 4) for a text over the size or nesting bound, naming the position."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,} are run "
                         "(put values in parameters)")
    deepest, at = nesting(text)
    if deepest > MAX_NESTING:
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise QueryError(f"the query nests brackets {deepest} deep (line {line}, column {column}); the embedded "
                         f"engine plans at most {MAX_NESTING} deep, as its planning time doubles with each level")
