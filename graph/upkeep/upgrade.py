"""Bringing a graph written by an earlier citygraph up to the current model, at the start of a write.

- Earlier versions wrote a ``Source`` node per locator (id ``document:lines``,
  with the lines, pilot, issue and bullet on it). Now a ``Source`` is a
  document and each ``CITED_IN`` carries the locator; old sources are turned
  into the new form, every citation kept.
- Places that are themselves parties are marked ``party`` by the writer; a
  graph without any mark gets them from its relationships.

- A pilot's non-European side was called ``Asia``; it is ``Partner`` now
  (programmes pair Europe with Japan, the Americas, Africa as well).

Each is checked with one cheap read and done only where needed.
"""

from __future__ import annotations

from citygraph.model import vocabulary as V
from citygraph.model.statements import mark_parties
from citygraph.store import Store


def statements_for_old_sources() -> list[str]:
    """Move each old per-locator Source onto its document's Source and its citations' locators, then drop it."""
    src, cited = V.label(V.SOURCE), V.rel_type(V.CITED_IN)
    old = f"MATCH (s:{src}) WHERE s.id CONTAINS ':'"
    return [
        f"{old} MERGE (d:{src} {{id: s.document}}) SET d.document = s.document, "
        "d.title = coalesce(d.title, s.title), d.file = coalesce(d.file, s.file)",
        f"{old} MATCH (d:{src} {{id: s.document}}) MATCH (n)-[:{cited}]->(s) "
        f"MERGE (n)-[c:{cited} {{source: s.id}}]->(d) SET c.lines = s.lines, c.line_start = s.line_start, "
        "c.line_end = s.line_end, c.pilot = s.pilot, c.issue = s.issue, c.bullet = s.bullet",
        f"{old} DETACH DELETE s",
    ]


def upgrade(store: Store) -> None:
    """Bring an earlier version's graph to the current model (nothing to do on a current one)."""
    src = V.label(V.SOURCE)
    if store.read(f"MATCH (s:{src}) WHERE s.id CONTAINS ':' RETURN s.id AS id LIMIT 1"):
        for statement in statements_for_old_sources():
            store.write(statement)
    place, key = V.label(V.PLACE), V.property_key(V.PARTY)
    unmarked = not store.read(f"MATCH (p:{place}) WHERE p.{key} RETURN p.id AS id LIMIT 1")
    if unmarked and store.read(f"MATCH (p:{place})<-[:{V.rel_type(V.HAS_PARTNER)}]-() RETURN p.id AS id LIMIT 1"):
        store.write(mark_parties())
    has = V.rel_type(V.HAS_PARTNER)
    if store.read(f"MATCH ()-[r:{has} {{side: 'Asia'}}]->() RETURN r.side AS side LIMIT 1"):
        store.write(f"MATCH ()-[r:{has} {{side: 'Asia'}}]->() SET r.side = 'Partner'")
