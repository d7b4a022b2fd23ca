"""A part's records for ``GRAPH.BULK``: folded as a MERGE would fold them, each packed in the wire format.

What a MERGE would have folded together is folded here: a node or
relationship stated twice in a part becomes one, its properties updated and
its ``sources`` gathered, as the writer's statements do (each item is in one
part, and what an item states starts at that item, so nothing folds across
parts). Each record is then packed by :mod:`citygraph.store.bulkformat` under
its token (labels or type, and property names). Only the ends of
relationships wait: their internal numbers are known once the command that
creates the nodes is sent (:class:`citygraph.loaders.write.bulk.BulkBuilder`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from citygraph.loaders.plan import Part, PartContext, Recipe
from citygraph.model import vocabulary as V
from citygraph.model.statements import GATHERED
from citygraph.store import bulkformat as fmt

#: A token's key: labels (``A:B``) or relationship type, and property names.
Token = tuple[str, tuple[str, ...]]
#: A node's key: (label, id).
NodeKey = tuple[str, str]


def _labels(lab: str, kind: str | None) -> str:
    return f"{lab}:{kind}" if kind and kind != lab else lab


def fold_nodes(part: Part) -> dict[NodeKey, tuple[str, dict[str, Any]]]:
    """(label, id) -> (labels, properties): rows of one node merged, later values winning, as ``SET n +=``.

    The part is consumed: a node stated once keeps its row's own properties (its ``id`` added)."""
    out: dict[NodeKey, tuple[str, dict[str, Any]]] = {}
    for (lab, kind), rows in part.nodes.items():
        labels = _labels(lab, kind)
        for row in rows:
            key = (lab, row["id"])
            had = out.get(key)
            if had is None:
                values = row["props"]
                values["id"] = row["id"]
                out[key] = (labels, values)
            else:
                out[key] = _merged_node(had, kind, row)
    return out


def _merged_node(had: tuple[str, dict[str, Any]], kind: str | None, row: dict) -> tuple[str, dict[str, Any]]:
    labels, values = had
    if kind and kind not in labels.split(":"):
        labels = f"{labels}:{kind}"
    values.update((k, v) for k, v in row["props"].items() if v is not None)
    values["id"] = row["id"]
    return labels, values


def fold_rels(part: Part) -> dict[tuple, dict[str, Any]]:
    """(type, start label, start id, end label, end id, merge key) -> properties, ``sources`` (and a citation's
    ``files``) gathered as the writer's statements do. The part is consumed: a relationship stated once keeps
    its row's properties."""
    out: dict[tuple, dict[str, Any]] = {}
    for (rel, src, dst), rows in part.rels.items():
        key_name = V.REL_MERGE_KEYS.get(rel)
        for row in rows:
            key = row.get("key") if key_name else None
            ident = (rel, src, row["a"], dst, row["b"], key)
            values = out.get(ident)
            if values is None:
                values = out[ident] = row["props"]
            else:
                values.update((k, v) for k, v in row["props"].items() if v is not None)
            if key_name:
                values[key_name] = key
            for gathered in GATHERED:
                listed = row.get(gathered)
                if listed is not None:
                    had = values.get(gathered)
                    values[gathered] = [x for x in had if x not in listed] + list(listed) if had else listed
    return out


@dataclass
class PackedPart:
    """One part's folded records, packed, by token: nodes with their keys, relationships with their ends'
    keys. Plain bytes, strings and tuples: cheap to pass from another process."""

    item_count: int
    nodes: dict[Token, list[tuple[NodeKey, bytes]]]
    rels: dict[Token, list[tuple[NodeKey, NodeKey, bytes]]]


def pack_part(part: Part, packer: fmt.Packer | None = None) -> PackedPart:
    """Fold ``part`` (consumed) and pack its records, each under the token of its properties' names in their
    own order."""
    record = (packer or fmt.Packer()).record
    nodes: dict[Token, list[tuple[NodeKey, bytes]]] = defaultdict(list)
    for key, (labels, values) in fold_nodes(part).items():
        nodes[(labels, tuple(values))].append((key, record(values.values())))
    rels: dict[Token, list[tuple[NodeKey, NodeKey, bytes]]] = defaultdict(list)
    for (rel, a_label, a, b_label, b, _), values in fold_rels(part).items():
        rels[(rel, tuple(values))].append(((a_label, a), (b_label, b), record(values.values())))
    return PackedPart(part.item_count, dict(nodes), dict(rels))


class PartMaker:
    """Makes and packs parts from recipes, in a worker (see :mod:`citygraph.loaders.runtime.workers`): pickled once
    with the plan's context. It states each document's Source node once; one another worker stated first is
    dropped by the builder, which keeps what was created."""

    def __init__(self, context: PartContext) -> None:
        self.context = context
        self.emitted: set[str] = set()  # documents whose Source node this maker stated

    def __call__(self, recipe: Recipe) -> PackedPart:
        return pack_part(self.context.make(recipe, self.emitted))
