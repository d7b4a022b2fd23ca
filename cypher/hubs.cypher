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
// (citygraph.upkeep.partners): the places with partners (Partnered), each one's partner counts by bloc,
// to rank the hubs without counting every pair, and its partners' names, bloc by bloc and by name within
// each, to name them without walking to them (`partners` empty lists them bloc by bloc). Tests compare
// the answers with the walking query it replaced and with a walk in Python, on generated graphs.
MATCH (x:Partnered)
WHERE toLower(x.bloc) = toLower($bloc)
WITH x, reduce(n = 0, i IN range(0, size(x.partner_blocs) - 1) |
       n + CASE WHEN $partners = '' OR toLower(x.partner_blocs[i]) = toLower($partners)
                THEN x.partner_counts[i] ELSE 0 END) AS partner_count
WHERE partner_count >= $min_partners
WITH x, partner_count ORDER BY partner_count DESC, x.name, x.id LIMIT $limit
WITH x, partner_count,
     [i IN range(0, size(x.partner_blocs) - 1) WHERE toLower(x.partner_blocs[i]) = toLower($partners)] AS picked
WITH x, partner_count, reduce(n = 0, i IN range(0, coalesce(picked[0], 0) - 1) | n + x.partner_counts[i]) AS start
RETURN x.name AS place, x.bloc AS bloc, partner_count, x.partner_names[start..start + partner_count] AS partners
ORDER BY partner_count DESC, place, x.id
