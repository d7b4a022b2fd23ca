// name: all-relationships
// description: Every relationship with its ends, type and properties (the export)
// columns: a, a_labels, b, b_labels, type, props
MATCH (a)-[r]->(b)
RETURN a.id AS a, labels(a) AS a_labels, b.id AS b, labels(b) AS b_labels, type(r) AS type, properties(r) AS props
