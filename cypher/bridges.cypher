// name: bridges
// description: European places that several Asian pilot partners reach (the hubs query with the sides swapped)
// param: min_partners: int = 2 -- the fewest non-European partners a bridge must have
// columns: place, bloc, partner_count, partners
MATCH (:PilotProject)-[:HAS_PARTNER {side: 'Asia'}]->(a:Place)
WITH DISTINCT a
WITH a,
     [(a)<-[:HAS_PARTNER {side: 'Asia'}]-(:PilotProject)-[:HAS_PARTNER {side: 'Europe'}]->(p:Place) WHERE p.bloc = 'Europe' | p] +
     [(a)<-[:LOCATED_IN|PART_OF*0..6]-()-[:COOPERATES_WITH]-()-[:LOCATED_IN|PART_OF*0..6]->(j:Place) WHERE j.bloc = 'Europe' | j] AS reached
// The bloc filter sits inside the comprehensions: the lists hold only
// candidate places, and no second lookup by id is needed.
UNWIND reached AS x
WITH DISTINCT a, x
WHERE NOT x:Country
WITH x, a ORDER BY a.name
WITH x, collect(a.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
