// name: blocs
// description: The blocs the graph's places belong to: a query that names a bloc no place has is told so
// columns: name
MATCH (p:Place)
RETURN DISTINCT p.bloc AS name
