// Places of bloc $b, and the $n of them with the most cooperations: two statements, run in order.
MATCH (p:Place {bloc: $b}) RETURN p.name AS name ORDER BY name;

MATCH (p:Place {bloc: $b})-[r:COOPERATES_WITH]-()
RETURN p.name AS name, count(r) AS cooperations
ORDER BY cooperations DESC, name
LIMIT $n;
