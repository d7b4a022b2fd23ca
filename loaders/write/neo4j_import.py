"""A new Neo4j database from a load, built offline (``load --neo4j-import DIR``).

Neo4j's own bulk importer, ``neo4j-admin database import``, needs the database
stopped, so citygraph does not run it: it writes the importer's CSV files
from the same plan a load writes (nodes folded and relationships with their
``sources`` gathered as :mod:`citygraph.loaders.write.bulkparts` folds them, places
marked as the plan marks them) and prints the command. After the import, with the
database started, a normal ``citygraph load`` of the same files adds the
uniqueness constraints and the derived relationships (REACHES, PARTNERS_WITH and the
partner counts) and changes nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from citygraph.core.outputs import write_folder
from citygraph.loaders.plan import Plan
from citygraph.loaders.write.bulkparts import fold_nodes, fold_rels
from citygraph.views.export import Exported, admin_import_command, write_csv


def plan_records(the_plan: Plan) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The plan's nodes and relationships in the shape :func:`citygraph.views.export.write_csv` takes."""
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    rels: list[dict[str, Any]] = []
    for part in the_plan.parts():
        for (lab, node_id), (labels, values) in fold_nodes(part).items():
            nodes.setdefault((lab, node_id), {"id": node_id, "label": lab, "labels": labels.split(":"),
                                              "props": values})
        for (rel, a_label, a, b_label, b, _), values in fold_rels(part).items():
            rels.append({"type": rel, "a": a, "b": b, "a_label": a_label, "b_label": b_label, "props": values})
    return list(nodes.values()), rels


def write_import(the_plan: Plan, folder: Path, database: str = "neo4j") -> Exported:
    """The importer's CSV files in ``folder``, and the command that imports them into ``database``."""
    nodes, rels = plan_records(the_plan)
    paths = write_folder(folder, lambda into: write_csv(nodes, rels, into), force=True)
    return Exported(paths, admin_import_command(paths, database))
