// name: provenance
// description: Every source of one node (cooperation, place, organisation, pilot, agreement, event), with document and lines
// param: id: str -- the node's id (e.g. evotion-artigent)
// columns: node, label, source, document, lines, pilot, issue, bullet
MATCH (n {id: $id})-[:CITED_IN]->(s:Source)
RETURN coalesce(n.name, n.title) AS node, labels(n)[0] AS label, s.id AS source, s.title AS document,
       s.lines AS lines, s.pilot AS pilot, s.issue AS issue, s.bullet AS bullet
ORDER BY source
