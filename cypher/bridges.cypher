// name: bridges
// description: European places with partners in several places of other blocs, through any cooperation (the hubs query with the sides swapped); the busiest first
// param: partners: str = "" -- the bloc the partners are in (e.g. China); empty: any bloc but Europe
// param: via: str in (any, pilots) = "any" -- any: every cooperation counts; pilots: only pilot partners (HAS_PARTNER) of the partner side, reaching the place directly or through their organisations and sub-places
// param: min_partners: int >= 1 = 2 -- the fewest partner places a bridge must have
// param: limit: int >= 1 = 50 -- the most bridges to list, the busiest first (a caller is told when more are left out)
// columns: place, bloc, partner_count, partners
// check: partners in blocs or empty
// A partner is as in `hubs`: a place, itself a party, of another bloc, paired in a pilot or joined by a
// cooperation between the places, their organisations or their sub-places. Countries are never partners.
// Reads the partner counts and names every citygraph write keeps, as `hubs` does; `partners` empty
// lists a bridge's partners bloc by bloc.
MATCH (x:Partnered)
WHERE x.bloc = 'Europe'
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
