"""Retracting documents: what only they stated leaves the graph (``load --replace``).

A corrected file states less than its earlier version; loading it again adds
what is new but cannot know what is gone. With ``--replace``, the load first
checks the new version whole (nothing written), then takes the documents its
files define out of the graph's provenance, then writes the new version:

- a relationship keeps the sources of other documents and goes when none is
  left (relationships gather the sources of every document that states them);
- the Source nodes of those documents go, with every CITED_IN to them;
- a fact (programme, pilot, cooperation, agreement, event, person) that no
  source cites any more goes, with its relationships;
- a place or organisation goes once nothing cites it and nothing refers to it;
- a place no party relationship reaches any more is no longer marked ``party``.

What the new version names (defines, or refers to in the graph) stays: it
only loses the earlier citations, and the write that follows cites it anew.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from citygraph.model.retractions import (
    ENTITY_LABELS,
    FACT_LABELS,
    cited_by_documents,
    delete_uncited,
    drop_relationships_of_documents,
    drop_sources_of_documents,
    strip_sources_of_documents,
    unmark_former_parties,
)
from citygraph.store import Store


@dataclass
class Retraction:
    """What retracting ``documents`` removed."""

    documents: list[str] = field(default_factory=list)
    relationships: int = 0
    nodes: int = 0
    sources: int = 0

    def summary(self) -> list[tuple[str, int]]:
        return [("retracted nodes", self.nodes), ("retracted relationships", self.relationships),
                ("retracted sources", self.sources)]


def retract(store: Store, documents: Sequence[str], keep: Set[str] = frozenset()) -> Retraction:
    """Take ``documents`` out of the graph's provenance; ids in ``keep`` stay whatever happens."""
    done = Retraction(sorted(set(documents)))
    if not done.documents:
        return done
    given = {"documents": done.documents}
    cited = _cited(store, done.documents, keep)
    done.relationships += store.write(drop_relationships_of_documents(), given)[1]["relationships_deleted"]
    store.write(strip_sources_of_documents(), given)
    done.sources += store.write(drop_sources_of_documents(), given)[1]["nodes_deleted"]
    for lab in FACT_LABELS + ENTITY_LABELS:  # facts first: a place may be free once its facts are gone
        if cited.get(lab):
            _, counters = store.write(delete_uncited(lab), {"ids": cited[lab]})
            done.nodes += counters["nodes_deleted"]
            done.relationships += counters["relationships_deleted"]
    store.write(unmark_former_parties(), {})
    return done


def _cited(store: Store, documents: list[str], keep: Set[str]) -> dict[str, list[str]]:
    """Ids of the facts and entities the documents cite, by label (``keep`` left out)."""
    wanted = set(FACT_LABELS + ENTITY_LABELS)
    out: dict[str, list[str]] = defaultdict(list)
    for row in store.read(cited_by_documents(), {"documents": documents}):
        lab = next((lab for lab in row["labels"] if lab in wanted), None)
        if lab and row["id"] not in keep:
            out[lab].append(row["id"])
    return out
