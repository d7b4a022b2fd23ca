// name: place-aliases
// description: Aliases of places and organisations (other spellings and native scripts), for search and tooltips
// columns: id, aliases
MATCH (n)
WHERE (n:Place OR n:Organisation) AND n.aliases IS NOT NULL
RETURN n.id AS id, n.aliases AS aliases
