// name: hubs
// description: Non-European places that several European pilot partners reach (paired, or joined by a cooperation directly or through their organisations and sub-places)
// param: bloc: str = "China" -- bloc of the places to rank: China, India or any partner country's short name (Japan, South Africa), any case (e.g. India)
// param: min_partners: int = 2 -- the fewest European partners a hub must have
// columns: place, bloc, partner_count, partners
MATCH (:PilotProject)-[:HAS_PARTNER {side: 'Europe'}]->(e:Place)
WITH DISTINCT e
WITH e,
     [(e)<-[:HAS_PARTNER {side: 'Europe'}]-(:PilotProject)-[:HAS_PARTNER {side: 'Asia'}]->(p:Place) WHERE toLower(p.bloc) = toLower($bloc) | p] +
     [(e)<-[:LOCATED_IN|PART_OF*0..6]-()-[:COOPERATES_WITH]-()-[:LOCATED_IN|PART_OF*0..6]->(j:Place) WHERE toLower(j.bloc) = toLower($bloc) | j] AS reached
// The bloc filter sits inside the comprehensions: the lists hold only
// candidate places, and no second lookup by id is needed.
UNWIND reached AS x
WITH DISTINCT e, x
WHERE NOT x:Country
WITH x, e ORDER BY e.name
WITH x, collect(e.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
