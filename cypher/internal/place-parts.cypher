// name: place-parts
// description: Every place that is part of another
// columns: part, whole
MATCH (a:Place)-[:PART_OF]->(b:Place)
RETURN a.id AS part, b.id AS whole
