// name: place-names
// description: Every place's id, name, aliases and country: names in a list of pairs resolve to places already in the graph
// columns: id, name, aliases, country
MATCH (p:Place)
RETURN p.id AS id, p.name AS name, p.aliases AS aliases, p.country AS country
