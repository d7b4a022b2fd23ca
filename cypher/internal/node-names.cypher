// name: node-names
// description: Every named node's id, name and aliases: a query that names a node nothing holds is told so
// columns: id, name, aliases
MATCH (n)
WHERE n.id IS NOT NULL
RETURN n.id AS id, n.name AS name, n.aliases AS aliases
