"""Neo4j compatibility, checked by Neo4j's own Cypher front end (offline, in Node)."""

from __future__ import annotations

from tools.neo4j_check import Statement, lint, schema, statements


def test_every_statement_passes_neo4j_front_end():
    items = statements()
    names = {s.name for s in items}
    assert {"query hubs", "query bridges", "query partners", "schema Place", "writer #0"} <= names
    problems = [(r["name"], d) for r in lint(items) for d in r["diagnostics"]]
    assert problems == []


def test_the_check_can_fail():
    broken = [
        Statement("syntax", "MATCH (n:Place RETURN n", {}),
        Statement("label", "MATCH (n:Plaec) RETURN n", {}),
        Statement("parameter", "MATCH (n:Place {id: $missing}) RETURN n", {}),
        Statement("falkordb-only scope", "MATCH (p:Place) CALL { WITH p RETURN p AS q } RETURN q", {}),
    ]
    results = {r["name"]: r["diagnostics"] for r in lint(broken, schema())}
    assert results["syntax"][0]["severity"] == "error" and results["syntax"][0]["line"] == 1
    assert "Plaec" in results["label"][0]["message"]
    assert "missing" in results["parameter"][0]["message"]
    assert results["falkordb-only scope"], "the deprecated scope form must be reported"
