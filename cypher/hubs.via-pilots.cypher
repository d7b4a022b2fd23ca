// name: hubs
// description: Places of one bloc that several European pilot partners reach (paired, or joined by a cooperation directly or through their organisations and sub-places): the strict reading
// param: bloc: str = "China" -- bloc of the places to rank: Europe, China, India or any partner country's short name (Japan, South Africa), any case (e.g. India)
// param: partners: str = "Europe" -- the bloc the partners are in; empty: any bloc but the place's own
// param: via: str in (any, pilots) = "any" -- any: every cooperation counts; pilots: only pilot partners (HAS_PARTNER), reaching the place directly or through their organisations and sub-places
// param: min_partners: int >= 1 = 2 -- the fewest partner places a hub must have
// param: limit: int >= 1 = 50 -- the most hubs to list, the busiest first (a caller is told when more are left out)
// columns: place, bloc, partner_count, partners
// check: bloc in blocs
// check: partners in blocs or empty
// Only European pilot partners count here (pilot sides are Europe and Partner), so `partners` other than
// Europe (or empty) finds none. Reads the derived REACHES relationships (citygraph.upkeep.reach), rebuilt
// after every citygraph write: the walk from each pilot partner through its organisations, sub-places
// and shortcuts, once per write instead of on every call (about a second at 10^6 links). Only places
// that are themselves parties are reached; tests compare the answers with the walking queries they
// replaced, on generated graphs.
MATCH (e:Place)-[:REACHES {side: 'Europe'}]->(x:Place)
WHERE toLower(x.bloc) = toLower($bloc) AND ($partners = '' OR toLower(e.bloc) = toLower($partners))
WITH x, e ORDER BY e.name
WITH x, collect(e.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place, x.id
LIMIT $limit
