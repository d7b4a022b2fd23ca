"""The Cypher a retraction sends (``load --replace``): what only some documents stated leaves the graph.

:mod:`citygraph.loaders.write.retract` runs these in order; each takes its
documents or ids as parameters.
"""

from __future__ import annotations

from citygraph.model import vocabulary as V
from citygraph.model.statements import party_types

#: Facts a document states: retracted once no document cites them.
FACT_LABELS: tuple[str, ...] = (V.PROGRAMME, V.PILOT_PROJECT, V.COOPERATION, V.AGREEMENT, V.EVENT, V.PERSON)
#: Entities documents name: retracted once no document cites them and nothing refers to them.
ENTITY_LABELS: tuple[str, ...] = (V.PLACE, V.ORGANISATION)
#: The document part of a source id (``document:lines``; document ids hold no colon).
_DOC = "split(x, ':')[0]"


def cited_by_documents() -> str:
    """Every node ``$documents`` cite, and every party of the facts they cite (a town from a list of pairs
    cites nothing of its own), with its labels."""
    cited = f"(n)-[:{V.rel_type(V.CITED_IN)}]->(s:{V.label(V.SOURCE)}) WHERE s.document IN $documents"
    parties = party_types()
    return (f"MATCH {cited} RETURN DISTINCT labels(n) AS labels, n.id AS id UNION "
            f"MATCH (f)-[:{V.rel_type(V.CITED_IN)}]->(s:{V.label(V.SOURCE)}) WHERE s.document IN $documents "
            f"MATCH (f)-[:{parties}]->(n) RETURN DISTINCT labels(n) AS labels, n.id AS id")


def drop_relationships_of_documents() -> str:
    """Delete the relationships whose every source belongs to ``$documents``."""
    return (f"MATCH ()-[r]->() WHERE size(coalesce(r.sources, [])) > 0 "
            f"AND all(x IN r.sources WHERE {_DOC} IN $documents) DELETE r")


def strip_sources_of_documents() -> str:
    """Remove the sources of ``$documents`` from the relationships other documents also state."""
    return (f"MATCH ()-[r]->() WHERE any(x IN coalesce(r.sources, []) WHERE {_DOC} IN $documents) "
            f"SET r.sources = [x IN r.sources WHERE NOT {_DOC} IN $documents]")


def drop_sources_of_documents() -> str:
    """Delete the Source nodes of ``$documents``, and every CITED_IN to them."""
    return f"MATCH (s:{V.label(V.SOURCE)}) WHERE s.document IN $documents DETACH DELETE s"


def delete_uncited(lab: str) -> str:
    """Delete the nodes of ``lab`` among ``$ids`` that no source cites any more (with their relationships);
    a place or organisation also stays while a stated relationship (not a derived one) refers to it."""
    cited = f"(n)-[:{V.rel_type(V.CITED_IN)}]->()"
    stated = "|".join(V.rel_type(t) for t in V.REL_TYPES if t not in V.DERIVED_TYPES)  # derived: rebuilt after
    still_used = "" if lab in FACT_LABELS else \
        f" AND NOT ()-[:{stated}]->(n) AND NOT (n)-[:{V.rel_type(V.COOPERATES_WITH)}]->()"
    return f"UNWIND $ids AS id MATCH (n:{V.label(lab)} {{id: id}}) WHERE NOT {cited}{still_used} DETACH DELETE n"


def unmark_former_parties() -> str:
    """Places marked ``party`` that no party relationship reaches any more (after a retraction)."""
    key = V.property_key(V.PARTY)
    return f"MATCH (p:{V.label(V.PLACE)}) WHERE p.{key} AND NOT (p)<-[:{party_types()}]-() REMOVE p.{key}"


#: Whether citation ``ci`` records one of ``$files`` among the files that stated it.
_BY_FILES = "any(f IN coalesce(ci.files, []) WHERE f IN $files)"
#: Whether ``$files`` are the only files that stated citation ``ci``.
_ONLY_FILES = f"{_BY_FILES} AND all(f IN ci.files WHERE f IN $files)"


def cited_by_files() -> str:
    """Every node whose citations record one of ``$files``, and every party of those facts, with its labels."""
    cited = f"(n)-[ci:{V.rel_type(V.CITED_IN)}]->(:{V.label(V.SOURCE)}) WHERE {_BY_FILES}"
    return (f"MATCH {cited} RETURN DISTINCT labels(n) AS labels, n.id AS id UNION "
            f"MATCH (f)-[ci:{V.rel_type(V.CITED_IN)}]->(:{V.label(V.SOURCE)}) WHERE {_BY_FILES} "
            f"MATCH (f)-[:{party_types()}]->(n) RETURN DISTINCT labels(n) AS labels, n.id AS id")


def citations_only_of_files() -> str:
    """The citations that only ``$files`` stated: each node's id and labels, and its source ids (lines)."""
    return (f"MATCH (n)-[ci:{V.rel_type(V.CITED_IN)}]->(:{V.label(V.SOURCE)}) WHERE {_ONLY_FILES} "
            "RETURN labels(n) AS labels, n.id AS id, collect(ci.source) AS sources")


def drop_citations_of_files() -> str:
    """Delete the citations only ``$files`` stated; the others forget ``$files``."""
    return (f"MATCH ()-[ci:{V.rel_type(V.CITED_IN)}]->(:{V.label(V.SOURCE)}) WHERE {_BY_FILES} "
            "SET ci.files = [f IN ci.files WHERE NOT f IN $files] "
            "WITH ci WHERE size(ci.files) = 0 DELETE ci")


def strip_lost_sources(lab: str) -> str:
    """``$lost`` (an id of ``lab`` and source ids no citation states any more): the relationships from it
    lose those sources, and go once none is left."""
    return (f"UNWIND $lost AS l MATCH (n:{V.label(lab)} {{id: l.id}})-[r]->() "
            "WHERE any(x IN coalesce(r.sources, []) WHERE x IN l.sources) "
            "SET r.sources = [x IN r.sources WHERE NOT x IN l.sources] WITH r WHERE size(r.sources) = 0 DELETE r")


def strip_lost_shortcut_sources() -> str:
    """As :func:`strip_lost_sources`, for the COOPERATES_WITH shortcuts of the cooperations in ``$lost``
    (they run between the cooperation's parties, keyed by its id)."""
    shortcut = f"[r:{V.rel_type(V.COOPERATES_WITH)} {{{V.property_key(V.REL_MERGE_KEYS[V.COOPERATES_WITH])}: l.id}}]"
    return (f"UNWIND $lost AS l MATCH (:{V.label(V.COOPERATION)} {{id: l.id}})-[:{V.rel_type(V.INVOLVES)}]->()"
            f"-{shortcut}->() WHERE any(x IN coalesce(r.sources, []) WHERE x IN l.sources) "
            "WITH DISTINCT r, l SET r.sources = [x IN r.sources WHERE NOT x IN l.sources] "
            "WITH r WHERE size(r.sources) = 0 DELETE r")


def drop_uncited_sources() -> str:
    """Delete the Source nodes of ``$documents`` that no citation reaches any more."""
    return (f"MATCH (s:{V.label(V.SOURCE)}) WHERE s.document IN $documents "
            f"AND NOT ()-[:{V.rel_type(V.CITED_IN)}]->(s) DELETE s")


def citations_and_referrers(lab: str) -> str:
    """For each id of ``lab`` in ``$ids``: its citations as (document, files) pairs, and the ids of the nodes
    with a relationship to it (what a retraction preview weighs)."""
    return (f"UNWIND $ids AS id MATCH (n:{V.label(lab)} {{id: id}}) "
            f"OPTIONAL MATCH (n)-[ci:{V.rel_type(V.CITED_IN)}]->(s:{V.label(V.SOURCE)}) "
            "WITH n, collect([s.document, ci.files]) AS cites OPTIONAL MATCH (f)-->(n) "
            "RETURN n.id AS id, cites, collect(DISTINCT f.id) AS referrers")


def retraction_check_statements() -> list[str]:
    """Every statement shape a retraction can send (for the Neo4j front-end check)."""
    labels = FACT_LABELS + ENTITY_LABELS
    return [cited_by_documents(), drop_relationships_of_documents(), strip_sources_of_documents(),
            drop_sources_of_documents(), cited_by_files(), citations_only_of_files(), drop_citations_of_files(),
            *map(strip_lost_sources, labels), strip_lost_shortcut_sources(), drop_uncited_sources(),
            *map(delete_uncited, labels), unmark_former_parties(),
            *map(citations_and_referrers, labels)]
