"""The library's fields as this command line's flags.

Library errors and notes name the field they are about (``option="columns"``,
"allow writes with `write`"); only here do those become flags, so a notebook
reads ``columns: …`` and the command line prints ``--columns: …``.
"""

from __future__ import annotations

from citygraph.core.errors import FIELD, CitygraphError

#: Fields that are options of this command line (the flag is the field with dashes).
OPTIONS = frozenset({
    "backend", "batch_size", "bloc", "bulk", "channel", "columns", "database", "encoding", "engine", "focus",
    "force", "format", "gazetteer", "max_skipped", "neo4j_import", "on_error", "params", "rejects", "replace", "sheet",
    "show", "strict", "uri", "view", "write",
})


def flag(field: str) -> str:
    """``on_error`` -> ``--on-error``; a field that is no option here stays as written, in backticks."""
    return "--" + field.replace("_", "-") if field in OPTIONS else f"`{field}`"


def message(error: CitygraphError) -> str:
    """An error's message as the command line says it."""
    return error.text(flag)


def flagged(text: str) -> str:
    """A library note (an unresolved name's, a review's) with its fields named as flags."""
    return FIELD.sub(lambda m: flag(m.group(1)), text)
