"""Cypher statement builders: the one place that puts identifiers into Cypher.

The batched writer, the Cypher-script export, the stores' schema set-up and
the Neo4j front-end check all build their statements here. Labels,
relationship types and property keys come from :mod:`citygraph.model.vocabulary`
(checked and backticked); values only ever travel as ``$`` parameters
(``$rows`` of ``UNWIND $rows AS row``).
"""

from __future__ import annotations

from citygraph.model import vocabulary as V

#: Node keys the writer MERGEs on: each gets a uniqueness constraint.
SCHEMA_KEYS: tuple[tuple[str, str], ...] = tuple((lab, "id") for lab in V.NODE_LABELS)


def node_statement(lab: str, kind: str | None = None, derived: tuple[str, ...] = ()) -> str:
    """MERGE nodes of ``lab`` by id, set their properties, add the kind label (and, in an export, the derived
    labels the nodes had)."""
    extra = "".join(f", n:{V.label(x)}" for x in (kind, *derived) if x)
    return f"UNWIND $rows AS row MERGE (n:{V.label(lab)} {{id: row.id}}) SET n += row.props{extra}"


#: List properties a relationship gathers from every row that states it, rather than taking the last row's:
#: ``sources`` (the document lines) and, on a citation, ``files`` (the names of the files that stated it).
GATHERED = ("sources", "files")


def _add_sources(rel: str, row: str, key: str = "sources") -> str:
    """``rel.sources`` gains ``row.sources`` (kept when the row has none): every document that states a
    relationship stays on it, whichever was loaded last, so retracting one leaves the others. Likewise
    for another of :data:`GATHERED`."""
    old, new = f"{rel}.{V.property_key(key)}", f"{row}.{V.property_key(key)}"
    return (f"{old} = CASE WHEN {new} IS NULL THEN {old} "
            f"ELSE [x IN coalesce({old}, []) WHERE NOT x IN {new}] + {new} END")


#: Relationships that make their end a party (a pilot partner, named in a cooperation, a signatory).
PARTY_RELS = (V.HAS_PARTNER, V.INVOLVES, V.SIGNED_BY)


def makes_party(rel: str, dst: str) -> bool:
    """Whether a ``rel`` relationship ending at a ``dst`` node marks that node ``party``."""
    return rel in PARTY_RELS and dst == V.PLACE


def rel_statement(rel: str, src: str, dst: str) -> str:
    """MERGE relationships of ``rel`` between ids of ``src`` and ``dst`` (with its key property, if any).
    A place a party relationship ends at is marked ``party`` (what hubs and bridges list)."""
    key = V.REL_MERGE_KEYS.get(rel)
    pattern = f" {{{V.property_key(key)}: row.key}}" if key else ""
    party = f", b.{V.property_key(V.PARTY)} = true" if makes_party(rel, dst) else ""
    files = f", {_add_sources('r', 'row', 'files')}" if rel == V.CITED_IN else ""
    return (f"UNWIND $rows AS row MATCH (a:{V.label(src)} {{id: row.a}}) MATCH (b:{V.label(dst)} {{id: row.b}}) "
            f"MERGE (a)-[r:{V.rel_type(rel)}{pattern}]->(b) SET r += row.props, {_add_sources('r', 'row')}{files}"
            f"{party}")


def _end(var: str, key: str) -> str:
    """A shortcut end: a place or an organisation, looked up by id under both labels (both indexed)."""
    return (f"OPTIONAL MATCH ({var}p:{V.label(V.PLACE)} {{id: s.{key}}}) "
            f"OPTIONAL MATCH ({var}o:{V.label(V.ORGANISATION)} {{id: s.{key}}}) ")


def cooperation_statement() -> str:
    """Cooperation nodes and their COOPERATES_WITH shortcuts in one query, for engines that run each
    write alone (:attr:`citygraph.store.Store.serial_writes`).

    A cooperation that did not exist before this query has no shortcuts yet: they are created
    outright. MERGE would scan every parallel shortcut between the two parties first (thousands,
    where a pilot pair carries thousands of cooperations), which made loading quadratic. Shortcuts
    of a cooperation that existed already (a reload) are merged as usual.
    """
    t = V.rel_type(V.COOPERATES_WITH)
    key = V.property_key(V.REL_MERGE_KEYS[V.COOPERATES_WITH])
    return (f"UNWIND $rows AS row OPTIONAL MATCH (old:{V.label(V.COOPERATION)} {{id: row.id}}) "
            f"MERGE (c:{V.label(V.COOPERATION)} {{id: row.id}}) SET c += row.props "
            "WITH c, row, old IS NULL AS fresh UNWIND row.shortcuts AS s "
            + _end("a", "a") + _end("b", "b") +
            "WITH c, s, fresh, coalesce(ap, ao) AS a, coalesce(bp, bo) AS b "
            f"FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END | "
            f"CREATE (a)-[r:{t}]->(b) SET r += s.props, r.sources = s.sources) "
            f"FOREACH (_ IN CASE WHEN fresh THEN [] ELSE [1] END | "
            f"MERGE (a)-[r:{t} {{{key}: c.id}}]->(b) SET r += s.props, {_add_sources('r', 's')})")


def party_types() -> str:
    """The party relationship types as a pattern's alternation (``HAS_PARTNER|INVOLVES|SIGNED_BY``)."""
    return "|".join(V.rel_type(r) for r in PARTY_RELS)


def mark_parties() -> str:
    """Mark every place a party relationship reaches (a graph written before the writer marked them)."""
    return f"MATCH (p:{V.label(V.PLACE)}) WHERE (p)<-[:{party_types()}]-() SET p.{V.property_key(V.PARTY)} = true"


def writer_statements() -> list[str]:
    """Every statement shape the writer can send (for the Neo4j front-end check)."""
    out = [node_statement(lab) for lab in V.NODE_LABELS]
    out += [node_statement(V.PLACE, k) for k in V.PLACE_KINDS]
    out += [node_statement(V.ORGANISATION, k) for k in V.ORGANISATION_KINDS]
    out += [rel_statement(rel, V.PLACE, V.ORGANISATION) for rel in V.REL_TYPES]
    out.append(cooperation_statement())
    return out


def neo4j_constraint(lab: str, prop: str) -> str:
    """Neo4j's idempotent uniqueness constraint on ``lab.prop`` (it brings its own index)."""
    name = f"{lab.lower()}_{prop}_unique"
    return (f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{V.label(lab)}) "
            f"REQUIRE n.{V.property_key(prop)} IS UNIQUE")


def falkordb_index(lab: str, prop: str) -> str:
    """FalkorDB's range index on ``lab.prop`` (its uniqueness constraint needs one first)."""
    return f"CREATE INDEX FOR (n:{V.label(lab)}) ON (n.{V.property_key(prop)})"
