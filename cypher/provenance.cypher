// name: provenance
// description: Every source of one node (cooperation, place, organisation, pilot, agreement, event), with document and lines; a place or organisation that cites nothing of its own (one from a list of pairs) answers with the sources of the cooperations that involve it
// param: id: str -- the node's id (e.g. evotion-artigent)
// columns: node, label, source, document, lines, pilot, issue, bullet
// check: id in nodes
// One Source node per document; the locator (document:lines, pilot, issue, bullet) is on each CITED_IN.
CALL {
  MATCH (n {id: $id})-[c:CITED_IN]->(s:Source)
  RETURN n, c, s
  UNION
  MATCH (n {id: $id})<-[:INVOLVES]-(:Cooperation)-[c:CITED_IN]->(s:Source)
  WHERE NOT (n)-[:CITED_IN]->()
  RETURN n, c, s
}
RETURN coalesce(n.name, n.title) AS node, labels(n)[0] AS label, c.source AS source, s.title AS document,
       c.lines AS lines, c.pilot AS pilot, c.issue AS issue, c.bullet AS bullet
ORDER BY source
