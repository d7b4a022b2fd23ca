// name: peers
// description: Places of the same bloc as this one that work in the same sectors with the same partners, but not with it: peers to learn from (for new partners, use `citygraph recommend`)
// param: place: str -- a place id or name (e.g. Lyon)
// param: top: int >= 1 = 10 -- how many suggestions
// columns: candidate, bloc, shared_partners, shared_sectors, score
// check: place in places
MATCH (p:Place) WHERE p.id = $place OR toLower(p.name) = toLower($place)
MATCH (p)<-[:LOCATED_IN|PART_OF*0..6]-()-[r1:COOPERATES_WITH]-()-[:LOCATED_IN|PART_OF*0..6]->(partner:Place)
WHERE partner.bloc <> p.bloc AND NOT partner:Country
MATCH (partner)<-[:LOCATED_IN|PART_OF*0..6]-()-[r2:COOPERATES_WITH]-()-[:LOCATED_IN|PART_OF*0..6]->(cand:Place)
WHERE cand.bloc = p.bloc AND cand <> p AND NOT cand:Country
  AND NOT (p)-[:PART_OF*1..6]->(cand) AND NOT (cand)-[:PART_OF*1..6]->(p)
  AND r1.sector = r2.sector
WITH p, cand, collect(DISTINCT partner.name) AS shared_partners, collect(DISTINCT r1.sector) AS shared_sectors
WHERE NOT (p)<-[:LOCATED_IN|PART_OF*0..6]-()-[:COOPERATES_WITH]-()-[:LOCATED_IN|PART_OF*0..6]->(cand)
RETURN cand.name AS candidate, cand.bloc AS bloc, shared_partners, shared_sectors,
       size(shared_partners) * size(shared_sectors) AS score
ORDER BY score DESC, candidate
LIMIT $top
