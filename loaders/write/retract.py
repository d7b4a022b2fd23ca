"""Retracting documents and files: what only they stated leaves the graph (``load --replace``).

A corrected file states less than its earlier version; loading it again adds
what is new but cannot know what is gone. With ``--replace``, the load first
checks the new version whole (nothing written), then takes out of the graph's
provenance the documents its files define and the citations its files made of
documents they do not define (every citation records the names of the files
that stated it, ``files``: a ``cooperations.csv`` citing the documents of a
``documents.csv``, a YAML citing ``notes:1``), then writes the new version:

- a relationship keeps the sources of other documents and goes when none is
  left (relationships gather the sources of every document that states them);
- the Source nodes of those documents go, with every CITED_IN to them;
- a citation only those files stated goes, and its lines leave the
  relationships of the fact it cites; one other files stated too forgets them;
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

from citygraph.model import vocabulary as V
from citygraph.model.retractions import (
    ENTITY_LABELS,
    FACT_LABELS,
    citations_and_referrers,
    citations_only_of_files,
    cited_by_documents,
    cited_by_files,
    delete_uncited,
    drop_citations_of_files,
    drop_relationships_of_documents,
    drop_sources_of_documents,
    drop_uncited_sources,
    strip_lost_shortcut_sources,
    strip_lost_sources,
    strip_sources_of_documents,
    unmark_former_parties,
)
from citygraph.store import Row, Store


@dataclass
class Retraction:
    """What retracting ``documents`` and the citations of ``files`` removed."""

    documents: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    relationships: int = 0
    nodes: int = 0
    sources: int = 0

    def summary(self) -> list[tuple[str, int]]:
        return [("retracted nodes", self.nodes), ("retracted relationships", self.relationships),
                ("retracted sources", self.sources)]


@dataclass
class Preview:
    """What retracting ``documents`` and the citations of ``files`` would remove: ids by label."""

    documents: list[str]
    files: list[str]
    going: dict[str, list[str]]

    def summary(self) -> list[tuple[str, int]]:
        return [(f"would retract {lab}", len(ids)) for lab, ids in self.going.items()]


def preview(store: Store, documents: Sequence[str], keep: Set[str] = frozenset(),
            files: Sequence[str] = ()) -> Preview:
    """What :func:`retract` would remove, read and not written: the facts no citation would be left to, and
    the places and organisations left with no citation and nothing else referring to them."""
    shown = Preview(sorted(set(documents)), sorted(set(files)), {})
    if not shown.documents and not shown.files:
        return shown
    docs, names = set(shown.documents), set(shown.files)

    def kept(cite: list) -> bool:
        document, by = cite
        return document is not None and document not in docs and not (by and set(by) <= names)

    cited = _cited(store, Retraction(shown.documents, shown.files), keep)
    going: set[str] = set()
    for lab in FACT_LABELS + ENTITY_LABELS:  # facts first: a place referred to by going facts goes too
        if not cited.get(lab):
            continue
        rows = store.read(citations_and_referrers(lab), {"ids": sorted(cited[lab])})
        ids = sorted(r["id"] for r in rows if not any(kept(c) for c in r["cites"])
                     and (lab in FACT_LABELS or all(f in going for f in r["referrers"])))
        if ids:
            shown.going[lab] = ids
            going.update(ids)
    return shown


def retract(store: Store, documents: Sequence[str], keep: Set[str] = frozenset(),
            files: Sequence[str] = ()) -> Retraction:
    """Take ``documents``, and what ``files`` (file names) cited, out of the graph's provenance; ids in
    ``keep`` stay whatever happens."""
    done = Retraction(sorted(set(documents)), sorted(set(files)))
    if not done.documents and not done.files:
        return done
    cited = _cited(store, done, keep)
    if done.documents:
        given = {"documents": done.documents}
        done.relationships += store.write(drop_relationships_of_documents(), given)[1]["relationships_deleted"]
        store.write(strip_sources_of_documents(), given)
        done.sources += store.write(drop_sources_of_documents(), given)[1]["nodes_deleted"]
    if done.files:
        _withdraw_citations(store, done)
    for lab in FACT_LABELS + ENTITY_LABELS:  # facts first: a place may be free once its facts are gone
        if cited.get(lab):
            _, counters = store.write(delete_uncited(lab), {"ids": sorted(cited[lab])})
            done.nodes += counters["nodes_deleted"]
            done.relationships += counters["relationships_deleted"]
    store.write(unmark_former_parties(), {})
    return done


def _withdraw_citations(store: Store, done: Retraction) -> None:
    """The citations only ``done.files`` stated go, and their lines leave the relationships of the facts
    they cite (a relationship with no line left goes); Source nodes no citation reaches go."""
    given = {"files": done.files}
    lost: dict[str, list[Row]] = defaultdict(list)
    documents: set[str] = set()
    for row in store.read(citations_only_of_files(), given):
        lab = next((lab for lab in row["labels"] if lab in FACT_LABELS + ENTITY_LABELS), None)
        if lab:
            lost[lab].append({"id": row["id"], "sources": row["sources"]})
            documents.update(s.rsplit(":", 1)[0] for s in row["sources"])
    store.write(drop_citations_of_files(), given)
    if lost.get(V.COOPERATION):  # shortcuts first: they are found through the cooperation's INVOLVES
        done.relationships += store.write(strip_lost_shortcut_sources(), {"lost": lost[V.COOPERATION]})[1][
            "relationships_deleted"]
    for lab, rows in lost.items():
        done.relationships += store.write(strip_lost_sources(lab), {"lost": rows})[1]["relationships_deleted"]
    if documents:
        done.sources += store.write(drop_uncited_sources(), {"documents": sorted(documents)})[1]["nodes_deleted"]


def _cited(store: Store, done: Retraction, keep: Set[str]) -> dict[str, set[str]]:
    """Ids of the facts and entities the documents or the files cite, by label (``keep`` left out)."""
    wanted = set(FACT_LABELS + ENTITY_LABELS)
    out: dict[str, set[str]] = defaultdict(set)
    rows: list[Row] = []
    if done.documents:
        rows += store.read(cited_by_documents(), {"documents": done.documents})
    if done.files:
        rows += store.read(cited_by_files(), {"files": done.files})
    for row in rows:
        lab = next((lab for lab in row["labels"] if lab in wanted), None)
        if lab and row["id"] not in keep:
            out[lab].add(row["id"])
    return out
