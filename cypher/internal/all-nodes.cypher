// name: all-nodes
// description: Every node with its labels and properties (the export)
// columns: id, labels, props
MATCH (n)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
