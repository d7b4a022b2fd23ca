// name: organisations
// description: Organisations of one kind (or all) located in a place or its sub-places
// param: place: str -- a place id or name (e.g. Dublin)
// param: kind: str = "" -- Company, University, Cluster, Port, PublicBody, …; empty for all
// columns: organisation, kind, located_in, cooperations
// check: place in places
MATCH (p:Place) WHERE p.id = $place OR toLower(p.name) = toLower($place)
MATCH (o:Organisation)-[:LOCATED_IN]->(l:Place)-[:PART_OF*0..6]->(p)
WHERE $kind = '' OR toLower(o.kind) = toLower($kind)
OPTIONAL MATCH (c:Cooperation)-[:INVOLVES]->(o)
RETURN o.name AS organisation, o.kind AS kind, l.name AS located_in, count(c) AS cooperations
ORDER BY cooperations DESC, organisation
