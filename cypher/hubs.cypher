// name: hubs
// description: Places of one bloc with partners in several places of another, through any cooperation (pilots, reports, lists), joined directly or through their organisations and sub-places; the busiest first
// param: bloc: str = "China" -- bloc of the places to rank: Europe, China, India or any partner country's short name (Japan, South Africa), any case (e.g. India)
// param: partners: str = "Europe" -- the bloc the partners are in; empty: any bloc but the place's own
// param: via: str in (any, pilots) = "any" -- any: every cooperation counts; pilots: only pilot partners (HAS_PARTNER), reaching the place directly or through their organisations and sub-places
// param: min_partners: int >= 1 = 2 -- the fewest partner places a hub must have
// param: limit: int >= 1 = 50 -- the most hubs to list, the busiest first (a caller is told when more are left out)
// columns: place, bloc, partner_count, partners
// check: bloc in blocs
// check: partners in blocs or empty
// A partner is a place, itself a party, of another bloc: paired with the hub in a pilot, or joined to it by
// a cooperation's COOPERATES_WITH shortcut between the two places, the organisations located in them or
// their sub-places (PART_OF), up to six levels either way. Countries are never partners. A place and
// its region, both parties, are two partners. Reads what every citygraph write keeps
// (citygraph.upkeep.partners): each place's partner counts by bloc, to rank the hubs without counting
// every pair, and PARTNERS_WITH, to name the partners of the hubs listed. Tests compare the answers with
// the walking query it replaced and with a walk in Python, on generated graphs.
MATCH (x:Place)
WHERE toLower(x.bloc) = toLower($bloc) AND size(x.partner_counts) > 0
WITH x, reduce(n = 0, i IN range(0, size(x.partner_blocs) - 1) |
       n + CASE WHEN $partners = '' OR toLower(x.partner_blocs[i]) = toLower($partners)
                THEN x.partner_counts[i] ELSE 0 END) AS partner_count
WHERE partner_count >= $min_partners
WITH x, partner_count ORDER BY partner_count DESC, x.name, x.id LIMIT $limit
MATCH (x)-[:PARTNERS_WITH]-(p:Place)
WHERE $partners = '' OR toLower(p.bloc) = toLower($partners)
WITH x, partner_count, p ORDER BY p.name
WITH x, partner_count, collect(p.name) AS partners
RETURN x.name AS place, x.bloc AS bloc, partner_count, partners
ORDER BY partner_count DESC, place, x.id
