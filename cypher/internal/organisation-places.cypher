// name: organisation-places
// description: The place each organisation is located in
// columns: org, place
MATCH (o:Organisation)-[:LOCATED_IN]->(p:Place)
RETURN o.id AS org, p.id AS place
