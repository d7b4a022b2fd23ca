"""Package data (the query library, the bundled knowledge base).

In a wheel they ship inside the package as ``graph/_share/{cypher,data}``;
in a source checkout or an editable install they are the repository's own
``cypher/`` and ``data/`` folders.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def resource_dir(name: str) -> Path:
    shipped = Path(str(files("graph"))) / "_share" / name
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / name
