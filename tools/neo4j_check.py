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

from citygraph.core.errors import ConfigError
from citygraph.model import vocabulary as V

TOOL = Path(__file__).resolve().parent / "cypher-lint"


@dataclass(frozen=True)
class Statement:
    name: str
    query: str
    parameters: dict[str, Any]


def schema() -> dict[str, Any]:
    return {"labels": list(V.ALL_LABELS), "relationshipTypes": list(V.REL_TYPES)}


def statements() -> list[Statement]:
    """Everything citygraph sends to Neo4j, with example parameters."""
    from citygraph.model.retractions import retraction_check_statements
    from citygraph.model.statements import SCHEMA_KEYS, neo4j_constraint, writer_statements
    from citygraph.query import catalog
    from citygraph.query.workbench import check_statements as workbench_statements
    from citygraph.upkeep import partners, reach
    from citygraph.upkeep.upgrade import statements_for_old_sources
    from citygraph.views.export import cypher_statements_for_check

    def example(q: catalog.NamedQuery) -> dict[str, Any]:
        return {p.name: (p.default if not p.required else TYPE_EXAMPLES[p.type]) for p in q.params}

    out = [Statement(f"query {q.name}", q.text_for("neo4j"), example(q)) for q in catalog.named_queries().values()]
    out += [Statement(f"query {q.name} {param}={value}", reading.cypher, example(q))
            for q in catalog.named_queries().values() for (param, value), reading in q.readings.items()]
    out += [Statement(f"internal {q.name}", q.text_for("neo4j"), example(q))
            for q in catalog.internal_queries().values()]
    out += [Statement(f"writer #{i}", text, {"rows": []}) for i, text in enumerate(writer_statements())]
    given = {"documents": ["d"], "ids": ["x"], "files": ["f"], "lost": []}
    out += [Statement(f"retraction #{i}", text, given)
            for i, text in enumerate(retraction_check_statements())]
    out += [Statement(f"schema {lab}", neo4j_constraint(lab, prop), {}) for lab, prop in SCHEMA_KEYS]
    out += [Statement(f"export #{i}", text, params) for i, (text, params) in enumerate(cypher_statements_for_check())]
    out += [Statement(f"workbench #{i}", text, params) for i, (text, params) in enumerate(workbench_statements())]
    upkeep = [*reach.statements(), *partners.statements(), *statements_for_old_sources()]
    out += [Statement(f"upkeep #{i}", text, {}) for i, text in enumerate(upkeep)]
    return out


TYPE_EXAMPLES = {"str": "x", "int": 1, "float": 1.0, "bool": True, "list": []}


def lint(items: list[Statement], db_schema: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        raise ConfigError("node is not installed; .ci/run installs it (Debian nodejs)")
    if not (TOOL / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        raise ConfigError(f"run `npm ci` in {TOOL} first (.ci/run does)")
    payload = {"schema": db_schema or schema(),
               "queries": [{"name": s.name, "query": s.query, "parameters": s.parameters} for s in items]}
    result = subprocess.run([node, str(TOOL / "lint.mjs")], input=json.dumps(payload), capture_output=True,
                            text=True, cwd=TOOL, timeout=300)
    if result.returncode != 0:
        raise ConfigError(f"the Neo4j Cypher check failed to run: {result.stderr.strip()[:500]}")
    return json.loads(result.stdout)
