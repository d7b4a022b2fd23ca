"""Loaders: reports, structured files and pair lists into the graph (read, check, write).

This is the declared face: the CLI and notebooks use these names and nothing
deeper. Each is imported when first asked for, so a command pays only for the
loaders it runs::

    from citygraph.loaders import ReadOptions, load
    result = load(store, [Path("twins.csv")], options=ReadOptions(columns={"a": "city1", "b": "city2"}))

The rooms behind it: ``formats/`` (tables, canonical files, pair lists,
rejects), ``documents/`` (report containers as lines), ``report/`` (report
text-mining), ``resolve/`` (gazetteer, world towns, places), ``dataset/``
(the model), ``write/`` (writer, bulk build, retraction, neo4j-admin files)
and ``runtime/`` (workers).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citygraph.loaders.dataset.model import Rejected, Unresolved
    from citygraph.loaders.extraction import extract
    from citygraph.loaders.formats.rejects import skip_summary, write_rejects
    from citygraph.loaders.options import OnError, ReadOptions
    from citygraph.loaders.pipeline import (
        MAX_SKIPPED,
        SHOWN_REJECTS,
        LoadResult,
        Prepared,
        commit,
        keep_texts,
        load,
        prepare,
        preview_replace,
    )
    from citygraph.loaders.write.neo4j_import import write_import
    from citygraph.loaders.write.retract import Preview, Retraction

#: Each name of the face, and the module that defines it.
_FACE = {
    "prepare": "pipeline", "commit": "pipeline", "load": "pipeline", "LoadResult": "pipeline",
    "Prepared": "pipeline", "SHOWN_REJECTS": "pipeline", "preview_replace": "pipeline", "keep_texts": "pipeline",
    "Retraction": "write.retract", "Preview": "write.retract",
    "extract": "extraction",
    "ReadOptions": "options", "OnError": "options",
    "write_rejects": "formats.rejects", "skip_summary": "formats.rejects", "MAX_SKIPPED": "pipeline",
    "write_import": "write.neo4j_import",
    "Rejected": "dataset.model", "Unresolved": "dataset.model",
}

__all__ = ["MAX_SKIPPED", "SHOWN_REJECTS", "LoadResult", "OnError", "Prepared", "Preview", "ReadOptions", "Rejected",
           "Retraction", "Unresolved", "commit", "extract", "keep_texts", "load", "prepare", "preview_replace",
           "skip_summary", "write_import", "write_rejects"]


def __getattr__(name: str) -> Any:
    if name not in _FACE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_FACE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
