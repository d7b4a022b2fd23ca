// name: type-counts
// description: Relationships per type
// columns: name, count
MATCH ()-[r]->()
RETURN type(r) AS name, count(*) AS count ORDER BY name
