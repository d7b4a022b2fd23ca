// name: lookup-ids
// description: Label and bloc of every node whose id is in a list (the writer resolves references with it)
// param: ids: list -- the ids to look up
// columns: id, labels, bloc
MATCH (n) WHERE n.id IN $ids
RETURN n.id AS id, labels(n) AS labels, n.bloc AS bloc
