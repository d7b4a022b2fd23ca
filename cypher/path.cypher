// name: path
// description: The shortest chain of cooperation between two places or organisations (ids or names)
// param: from: str -- a place or organisation (id or name, e.g. Barcelona)
// param: to: str -- a place or organisation (id or name, e.g. Shantou)
// param: max_hops: int >= 1 = 6 -- the longest chain considered
// columns: hops, path, cooperations
// check: from in nodes
// check: to in nodes
MATCH (a) WHERE (a:Place OR a:Organisation) AND (a.id = $from OR toLower(a.name) = toLower($from))
MATCH (b) WHERE (b:Place OR b:Organisation) AND (b.id = $to OR toLower(b.name) = toLower($to))
MATCH p = (a)-[:COOPERATES_WITH|LOCATED_IN|PART_OF*1..8]-(b)
WHERE length(p) <= $max_hops
WITH p ORDER BY length(p) LIMIT 1
RETURN length(p) AS hops, [n IN nodes(p) | n.name] AS path,
       [r IN relationships(p) WHERE type(r) = 'COOPERATES_WITH' | r.cooperation] AS cooperations
