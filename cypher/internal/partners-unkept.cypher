// name: partners-unkept
// description: A place that is a party without the partner counts and names every citygraph write keeps (a graph an earlier version wrote)
// columns: id
MATCH (p:Place)
WHERE p.party AND p.partner_names IS NULL
RETURN p.id AS id
LIMIT 1
