// name: bridges
// description: European places that several non-European pilot partners reach (the hubs query with the sides swapped): the strict reading
// param: partners: str = "" -- the bloc the partners are in (e.g. China); empty: any bloc but Europe
// param: via: str in (any, pilots) = "any" -- any: every cooperation counts; pilots: only pilot partners (HAS_PARTNER) of the partner side, reaching the place directly or through their organisations and sub-places
// param: min_partners: int >= 1 = 2 -- the fewest partner places a bridge must have
// param: limit: int >= 1 = 50 -- the most bridges to list, the busiest first (a caller is told when more are left out)
// columns: place, bloc, partner_count, partners
// check: partners in blocs or empty
// Reads the derived REACHES relationships (citygraph.upkeep.reach), rebuilt after every citygraph write: the
// walk from each pilot partner through its organisations, sub-places and shortcuts, once per write
// instead of on every call (about a second at 10^6 links). Only places that are themselves parties are
// reached; tests compare the answers with the walking queries they replaced, on generated graphs.
MATCH (e:Place)-[:REACHES {side: 'Partner'}]->(x:Place)
WHERE x.bloc = 'Europe' AND ($partners = '' OR toLower(e.bloc) = toLower($partners))
WITH x, e ORDER BY e.name
WITH x, collect(e.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place, x.id
LIMIT $limit
