"""Package data: the query library (``citygraph.cypher``) and the bundled data (``citygraph.data``).

Both are read through :mod:`importlib.resources`, which finds them in a
wheel and in an editable install alike.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def resource_dir(name: str) -> Path:
    """The folder of package data ``name`` (``cypher`` or ``data``)."""
    return Path(str(files(f"citygraph.{name}")))
