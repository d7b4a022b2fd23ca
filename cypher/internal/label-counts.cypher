// name: label-counts
// description: Nodes per label
// columns: name, count
MATCH (n) UNWIND labels(n) AS name
RETURN name, count(*) AS count ORDER BY name
