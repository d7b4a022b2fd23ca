"""The choices exports take (format, view), apart from the code that needs networkx: a command line can offer
them without importing it."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"
    CYPHER = "cypher"


class ExportView(StrEnum):
    """What a graphml/gexf export holds: an analysis view (as ``centrality`` sees it) or the whole graph."""

    PLACES = "places"
    ORGANISATIONS = "organisations"
    FULL = "full"
