// name: place-coordinates
// description: Every place's coordinates, country and aliases, for the map
// columns: id, lat, lon, country, aliases
MATCH (p:Place)
RETURN p.id AS id, p.lat AS lat, p.lon AS lon, p.country AS country, p.aliases AS aliases
