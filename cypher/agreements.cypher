// name: agreements
// description: Agreements (MoUs and partnerships) with their status, parties and sources
// param: status: str = "" -- only this status (signed, in_preparation, intended); empty for all
// columns: agreement, status, parties, source
MATCH (g:Agreement)
WHERE $status = '' OR toLower(g.status) = toLower($status)
OPTIONAL MATCH (g)-[:SIGNED_BY]->(party)
WITH g, party ORDER BY party.name
WITH g, collect(party.name) AS parties
OPTIONAL MATCH (g)-[:CITED_IN]->(s:Source)
WITH g, parties, s ORDER BY s.id
RETURN g.title AS agreement, g.status AS status, parties, collect(s.id) AS source
ORDER BY status, agreement
