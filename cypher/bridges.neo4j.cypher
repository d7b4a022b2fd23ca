// Neo4j variant: Neo4j 5.26 wants the CALL () { } scope clause; FalkorDB only parses CALL { … }.
// name: bridges
// description: European places with partners in several places of other blocs, through any cooperation (the hubs query with the sides swapped)
// param: partners: str = "" -- the bloc the partners are in (e.g. China); empty: any bloc but Europe
// param: via: str in (any, pilots) = "any" -- any: every cooperation counts; pilots: only pilot partners (HAS_PARTNER) of the partner side, reaching the place directly or through their organisations and sub-places
// param: min_partners: int >= 1 = 2 -- the fewest partner places a bridge must have
// columns: place, bloc, partner_count, partners
// check: partners in blocs or empty
// A partner is as in `hubs`: a place, itself a party, of another bloc, paired in a pilot or joined by a
// cooperation between the places, their organisations or their sub-places. Countries are never partners.
CALL () {
  MATCH (x:Place)<-[:LOCATED_IN|PART_OF*0..6]-()-[:COOPERATES_WITH]-()-[:LOCATED_IN|PART_OF*0..6]->(p:Place)
  WHERE x.party AND NOT x:Country AND x.bloc = 'Europe'
    AND p.party AND NOT p:Country AND p.bloc <> 'Europe' AND ($partners = '' OR toLower(p.bloc) = toLower($partners))
  RETURN x, p
  UNION
  MATCH (x:Place)<-[:HAS_PARTNER]-(:PilotProject)-[:HAS_PARTNER]->(p:Place)
  WHERE NOT x:Country AND x.bloc = 'Europe'
    AND NOT p:Country AND p.bloc <> 'Europe' AND ($partners = '' OR toLower(p.bloc) = toLower($partners))
  RETURN x, p
}
WITH x, p ORDER BY p.name
WITH x, collect(p.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, x.bloc AS bloc, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
