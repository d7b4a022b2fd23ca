// Written in Neo4j Browser: the places of bloc $bloc that at least $min_partners European pilot partners reach.
MATCH (e:Place)-[:REACHES {side: 'Europe'}]->(x:Place)
WHERE x.bloc = $bloc
WITH x, collect(e.name) AS partners
WHERE size(partners) >= $min_partners
RETURN x.name AS place, size(partners) AS partner_count, partners
ORDER BY partner_count DESC, place
