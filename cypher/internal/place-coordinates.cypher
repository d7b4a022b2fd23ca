// name: place-coordinates
// description: Every place's coordinates and aliases, for the map
// columns: id, lat, lon, aliases
MATCH (p:Place)
RETURN p.id AS id, p.lat AS lat, p.lon AS lon, p.aliases AS aliases
