// Neo4j variant: Neo4j 5.26 wants the CALL () { } scope clause; FalkorDB only parses CALL { … }.
// name: hubs
// description: Places of one bloc with partners in several places of another, through any cooperation (pilots, reports, lists), joined directly or through their organisations and sub-places
// param: bloc: str = "China" -- bloc of the places to rank: Europe, China, India or any partner country's short name (Japan, South Africa), any case (e.g. India)
// param: partners: str = "Europe" -- the bloc the partners are in; empty: any bloc but the place's own
// param: via: str in (any, pilots) = "any" -- any: every cooperation counts; pilots: only pilot partners (HAS_PARTNER), reaching the place directly or through their organisations and sub-places
// param: min_partners: int >= 1 = 2 -- the fewest partner places a hub must have
// columns: place, bloc, partner_count, partners
// check: bloc in blocs
// check: partners in blocs or empty
// A partner is a place, itself a party, of another bloc: paired with the hub in a pilot, or joined to it by
// a cooperation's COOPERATES_WITH shortcut between the two places, the organisations located in them or
// their sub-places (PART_OF), up to six levels either way. Countries are never partners. A place and
// its region, both parties, are two partners.
CALL () {
  MATCH (x:Place)<-[:LOCATED_IN|PART_OF*0..6]-()-[:COOPERATES_WITH]-()-[:LOCATED_IN|PART_OF*0..6]->(p:Place)
  WHERE x.party AND NOT x:Country AND toLower(x.bloc) = toLower($bloc)
    AND p.party AND NOT p:Country AND p.bloc <> x.bloc AND ($partners = '' OR toLower(p.bloc) = toLower($partners))
  RETURN x, p
  UNION
  MATCH (x:Place)<-[:HAS_PARTNER]-(:PilotProject)-[:HAS_PARTNER]->(p:Place)
  WHERE NOT x:Country AND toLower(x.bloc) = toLower($bloc)
    AND NOT p:Country AND p.bloc <> x.bloc AND ($partners = '' OR toLower(p.bloc) = toLower($partners))
  RETURN x, p
}
WITH x, p ORDER BY p.name
WITH x, collect(p.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
