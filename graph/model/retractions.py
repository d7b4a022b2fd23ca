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
    a place or organisation also stays while anything refers to it."""
    cited = f"(n)-[:{V.rel_type(V.CITED_IN)}]->()"
    still_used = "" if lab in FACT_LABELS else f" AND NOT ()-->(n) AND NOT (n)-[:{V.rel_type(V.COOPERATES_WITH)}]->()"
    return f"UNWIND $ids AS id MATCH (n:{V.label(lab)} {{id: id}}) WHERE NOT {cited}{still_used} DETACH DELETE n"


def unmark_former_parties() -> str:
    """Places marked ``party`` that no party relationship reaches any more (after a retraction)."""
    key = V.property_key(V.PARTY)
    return f"MATCH (p:{V.label(V.PLACE)}) WHERE p.{key} AND NOT (p)<-[:{party_types()}]-() REMOVE p.{key}"


def retraction_check_statements() -> list[str]:
    """Every statement shape a retraction can send (for the Neo4j front-end check)."""
    labels = FACT_LABELS + ENTITY_LABELS
    return [cited_by_documents(), drop_relationships_of_documents(), strip_sources_of_documents(),
            drop_sources_of_documents(), *map(delete_uncited, labels), unmark_former_parties()]
