// name: bridges
// description: European places that several Asian pilot partners reach (the hubs query with the sides swapped)
// param: min_partners: int >= 1 = 2 -- the fewest non-European partners a bridge must have
// columns: place, bloc, partner_count, partners
// Reads the derived REACHES relationships (citygraph.upkeep.reach), rebuilt after every citygraph write: the
// walk from each pilot partner through its organisations, sub-places and shortcuts, once per write
// instead of on every call (about a second at 10^6 links). Only places that are themselves parties are
// reached; tests compare the answers with the walking queries they replaced, on generated graphs.
MATCH (e:Place)-[:REACHES {side: 'Partner'}]->(x:Place)
WHERE x.bloc = 'Europe'
WITH x, e ORDER BY e.name
WITH x, collect(e.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
