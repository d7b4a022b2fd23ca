"""Check Cypher with Neo4j's own front end (npm ``@neo4j-cypher/language-support``).

No Neo4j server runs on the project's machines, so every query file and every
statement the loaders and exporters send is linted offline by Neo4j's parser
and semantic analysis, against a DbSchema that declares the model's labels,
relationship types and each query's parameters.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citygraph import vocabulary as V
from citygraph.errors import CitygraphError

TOOL = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"


@dataclass(frozen=True)
class Statement:
    name: str
    query: str
    parameters: dict[str, Any]


def schema() -> dict[str, Any]:
    return {"labels": list(V.ALL_LABELS), "relationshipTypes": list(V.REL_TYPES)}


def statements() -> list[Statement]:
    """Everything citygraph sends to Neo4j, with example parameters."""
    from citygraph.catalog import catalog
    from citygraph.stats import graph_stats_queries
    from citygraph.store.neo4j import constraint_statement
    from citygraph.loaders.writer import INDEX_QUERY, all_statements

    out = []
    for q in catalog().values():
        params = {p.name: (p.default if not p.required else TYPE_EXAMPLES[p.type]) for p in q.params}
        out.append(Statement(f"query {q.name}", q.text_for("neo4j"), params))
    for i, text in enumerate(all_statements()):
        out.append(Statement(f"writer #{i}", text, {"rows": []}))
    for lab in V.NODE_LABELS:
        out.append(Statement(f"schema {lab}", constraint_statement(lab, "id"), {}))
    out.append(Statement("reference lookup", INDEX_QUERY, {"ids": []}))
    for i, text in enumerate(graph_stats_queries()):
        out.append(Statement(f"stats #{i}", text, {}))
    try:
        from citygraph.export import cypher_statements_for_check
    except ImportError:
        pass
    else:
        out += [Statement(f"export #{i}", text, params) for i, (text, params) in enumerate(cypher_statements_for_check())]
    return out


TYPE_EXAMPLES = {"str": "x", "int": 1, "float": 1.0, "bool": True, "list": []}


def lint(items: list[Statement], db_schema: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        raise CitygraphError("node is not installed; .ci/run installs it (Debian nodejs)")
    if not (TOOL / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        raise CitygraphError(f"run `npm ci` in {TOOL} first (.ci/run does)")
    payload = {"schema": db_schema or schema(),
               "queries": [{"name": s.name, "query": s.query, "parameters": s.parameters} for s in items]}
    result = subprocess.run([node, str(TOOL / "lint.mjs")], input=json.dumps(payload), capture_output=True,
                            text=True, cwd=TOOL, timeout=300)
    if result.returncode != 0:
        raise CitygraphError(f"the Neo4j Cypher check failed to run: {result.stderr.strip()[:500]}")
    return json.loads(result.stdout)
