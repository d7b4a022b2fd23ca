// Neo4j variant: Neo4j 5.23+ wants the CALL () { } scope clause; FalkorDB only parses CALL { … }.
// name: bridges
// description: European places that several Asian pilot partners reach (the hubs query with the sides swapped)
// param: min_partners: int = 2 -- the fewest non-European partners a bridge must have
// columns: place, bloc, partner_count, partners
// Staged like hubs; here the shortcuts arrive from the European party.
CALL () {
  MATCH (:PilotProject)-[:HAS_PARTNER {side: 'Asia'}]->(a:Place)
  WITH DISTINCT a
  MATCH (a)<-[:LOCATED_IN|PART_OF*0..6]-(d)
  WITH DISTINCT a, d
  MATCH (d)<-[:COOPERATES_WITH]-(n)
  WITH DISTINCT a, n
  MATCH (n)-[:LOCATED_IN|PART_OF*0..6]->(x:Place)
  WHERE x.bloc = 'Europe'
  RETURN a, x
  UNION
  MATCH (a:Place)<-[:HAS_PARTNER {side: 'Asia'}]-(:PilotProject)-[:HAS_PARTNER {side: 'Europe'}]->(x:Place)
  WHERE x.bloc = 'Europe'
  RETURN a, x
}
WITH DISTINCT a, x
WHERE NOT x:Country
WITH x, a ORDER BY a.name
WITH x, collect(a.name) AS partners
// Only a place that is itself a party (the writer marks it): not an ancestor or the seat of an organisation
// that inherits its links.
WITH x, partners WHERE size(partners) >= $min_partners AND x.party
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
