// name: agreements
// description: Agreements (MoUs and partnerships) with their status, parties and sources
// param: status: str in (signed, in_preparation, intended) = "" -- only this status; empty for all
// columns: agreement, status, parties, source
MATCH (g:Agreement)
WHERE $status = '' OR toLower(g.status) = toLower($status)
OPTIONAL MATCH (g)-[:SIGNED_BY]->(party)
WITH g, party ORDER BY party.name
WITH g, collect(party.name) AS parties
OPTIONAL MATCH (g)-[c:CITED_IN]->(:Source)
WITH g, parties, c ORDER BY c.source
RETURN g.title AS agreement, g.status AS status, parties, collect(c.source) AS source
ORDER BY status, agreement
