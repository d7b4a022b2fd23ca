// Neo4j variant: Neo4j 5.23+ wants the CALL () { } scope clause; FalkorDB only parses CALL { … }.
// name: hubs
// description: Non-European places that several European pilot partners reach (paired, or joined by a cooperation directly or through their organisations and sub-places)
// param: bloc: str = "China" -- bloc of the places to rank: China, India or any partner country's short name (Japan, South Africa), any case (e.g. India)
// param: min_partners: int = 2 -- the fewest European partners a hub must have
// columns: place, bloc, partner_count, partners
// Staged: DISTINCT between the hops, so each (partner, place) pair is walked up
// the hierarchy once however many cooperations join them, and shortcuts are
// followed in their one direction (a cross-bloc shortcut starts at the
// European party). 2.8 times faster than expanding everything in lists, with
// the same rows (tests compare the two on generated graphs).
CALL () {
  MATCH (:PilotProject)-[:HAS_PARTNER {side: 'Europe'}]->(e:Place)
  WITH DISTINCT e
  MATCH (e)<-[:LOCATED_IN|PART_OF*0..6]-(d)
  WITH DISTINCT e, d
  MATCH (d)-[:COOPERATES_WITH]->(n)
  WITH DISTINCT e, n
  MATCH (n)-[:LOCATED_IN|PART_OF*0..6]->(x:Place)
  WHERE toLower(x.bloc) = toLower($bloc)
  RETURN e, x
  UNION
  MATCH (e:Place)<-[:HAS_PARTNER {side: 'Europe'}]-(:PilotProject)-[:HAS_PARTNER {side: 'Asia'}]->(x:Place)
  WHERE toLower(x.bloc) = toLower($bloc)
  RETURN e, x
}
WITH DISTINCT e, x
WHERE NOT x:Country
WITH x, e ORDER BY e.name
WITH x, collect(e.name) AS partners
// Only a place that is itself a party (the writer marks it): not an ancestor or the seat of an organisation
// that inherits its links.
WITH x, partners WHERE size(partners) >= $min_partners AND x.party
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
