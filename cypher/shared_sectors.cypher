// name: shared_sectors
// description: Sectors in which two places (with their organisations and sub-places) both cooperate
// param: a: str -- a place id or name (e.g. Barcelona)
// param: b: str -- a place id or name (e.g. Lazio)
// columns: sector, a_cooperations, b_cooperations
MATCH (pa:Place) WHERE pa.id = $a OR toLower(pa.name) = toLower($a)
MATCH (pb:Place) WHERE pb.id = $b OR toLower(pb.name) = toLower($b)
MATCH (pa)<-[:LOCATED_IN|PART_OF*0..6]-()<-[:INVOLVES]-(ca:Cooperation)-[:IN_SECTOR]->(s:Sector)
WITH pb, s, count(DISTINCT ca) AS a_cooperations
MATCH (pb)<-[:LOCATED_IN|PART_OF*0..6]-()<-[:INVOLVES]-(cb:Cooperation)-[:IN_SECTOR]->(s)
RETURN s.name AS sector, a_cooperations, count(DISTINCT cb) AS b_cooperations
ORDER BY a_cooperations + b_cooperations DESC, sector
