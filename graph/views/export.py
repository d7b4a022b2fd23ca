"""Export the graph: GraphML and GEXF (Gephi, networkx), neo4j-admin CSV, a Cypher script."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from citygraph.core.errors import ConfigError
from citygraph.core.outputs import MARK, replace_file, replace_text, write_folder
from citygraph.model import vocabulary as V
from citygraph.model.statements import SCHEMA_KEYS, neo4j_constraint, node_statement, rel_statement
from citygraph.query import catalog
from citygraph.store import Store
from citygraph.views.choices import ExportFormat

FORMATS = tuple(f.value for f in ExportFormat)


@dataclass
class Exported:
    """The files an export wrote, and for neo4j-admin CSV the command that imports them."""

    paths: list[Path]
    command: str | None = None


def _text(value: Any) -> Any:
    """A property as Gephi shows it: lists and sets as ``a; b``, mappings as JSON, None left out by the caller."""
    if isinstance(value, set):
        value = sorted(value, key=str)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _primary(labels: list[str]) -> str:
    return next((lab for lab in labels if lab in V.NODE_LABELS), labels[0] if labels else "Node")


def _kind(labels: list[str]) -> str | None:
    return next((lab for lab in labels if lab in V.KIND_LABELS), None)


def read_graph(store: Store) -> tuple[list[dict], list[dict]]:
    nodes = catalog.read(store, "all-nodes")
    rels = catalog.read(store, "all-relationships")
    for n in nodes:
        n["label"], n["kind_label"] = _primary(n["labels"]), _kind(n["labels"])
    for r in rels:
        r["a_label"], r["b_label"] = _primary(r["a_labels"]), _primary(r["b_labels"])
    return nodes, rels


def _flat(props: dict) -> dict:
    return {k: _text(v) for k, v in props.items() if v is not None}


def to_networkx(nodes: list[dict], rels: list[dict]) -> nx.MultiDiGraph:
    """The whole property graph; each node labelled with its name (Gephi's ``label``), lists as ``a; b``."""
    g = nx.MultiDiGraph()
    for n in nodes:
        # The key already holds the id; an ``id`` attribute would become GEXF's node id and merge namesakes.
        props = _flat({k: v for k, v in n["props"].items() if k != "id"})
        g.add_node(f"{n['label']}:{n['id']}", **props, labels=":".join(n["labels"]),
                   label=str(props.get("name") or props.get("title") or n["id"]))
    for i, r in enumerate(rels):
        g.add_edge(f"{r['a_label']}:{r['a']}", f"{r['b_label']}:{r['b']}", key=i, type=r["type"], **_flat(r["props"]))
    return g


def view_graph(store: Store, view: str, fmt: str = "graphml") -> nx.Graph:
    """An analysis view (places or organisations, as centrality ranks them) ready for Gephi: a places view
    also carries coordinates, weights, colours, sizes and dates (:mod:`citygraph.views.gephi`)."""
    from citygraph.analysis.analytics import project
    from citygraph.views.gephi import decorate

    g = project(store, view)
    if view != "organisations":
        decorate(store, g, viz=fmt == "gexf")
    out = nx.Graph()
    for node, attrs in g.nodes(data=True):
        kept = _flat({k: v for k, v in attrs.items() if k not in ("name", "viz")})
        out.add_node(node, label=attrs["name"], **kept, name=attrs["name"],
                     **({"viz": attrs["viz"]} if "viz" in attrs else {}))
    for a, b, attrs in g.edges(data=True):
        out.add_edge(a, b, **_flat(attrs))
    out.graph.clear()
    return out


def literal(value: Any) -> str:
    """A Cypher literal for a stored value (strings escaped; no parameters in a script)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{V.property_key(k)}: {literal(v)}" for k, v in value.items()) + "}"
    text = (
        str(value)
        .replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f"'{text}'"


def cypher_script(nodes: list[dict], rels: list[dict], batch: int = 500) -> list[str]:
    out = [neo4j_constraint(lab, prop) for lab, prop in SCHEMA_KEYS]
    groups: dict[tuple, list[dict]] = {}
    for n in nodes:
        props = {k: v for k, v in n["props"].items() if k != "id"}
        derived = tuple(x for x in n["labels"] if x in V.DERIVED_LABELS)
        groups.setdefault((n["label"], n["kind_label"], derived), []).append({"id": n["id"], "props": props})
    for (lab, kind, derived), rows in groups.items():
        for i in range(0, len(rows), batch):
            out.append(node_statement(lab, kind, derived).replace("$rows", literal(rows[i : i + batch]), 1))
    rgroups: dict[tuple, list[dict]] = {}
    for r in rels:
        row = {"a": r["a"], "b": r["b"], "props": r["props"]}
        key = V.REL_MERGE_KEYS.get(r["type"])
        if key:
            row["key"] = r["props"].get(key)
        rgroups.setdefault((r["type"], r["a_label"], r["b_label"]), []).append(row)
    for (typ, a, b), rows in rgroups.items():
        for i in range(0, len(rows), batch):
            out.append(rel_statement(typ, a, b).replace("$rows", literal(rows[i : i + batch]), 1))
    return out


def cypher_statements_for_check() -> list[tuple[str, dict]]:
    """A small script through the same code, for the Neo4j front-end check."""
    nodes = [
        {
            "id": "x",
            "labels": ["Place", "City"],
            "label": "Place",
            "kind_label": "City",
            "props": {
                "id": "x",
                "name": 'it\'s "q" `b` \\ ü 汕头\n',
                "aliases": ["a", "b"],
                "n": 1,
                "f": 0.5,
                "t": True,
            },
        }
    ]
    rels = [
        {
            "a": "x",
            "b": "x",
            "a_label": "Place",
            "b_label": "Place",
            "type": "COOPERATES_WITH",
            "props": {"cooperation": "c", "sources": ["s:1"]},
        }
    ]
    return [(s, {}) for s in cypher_script(nodes, rels)]


def write_csv(nodes: list[dict], rels: list[dict], folder: Path) -> list[Path]:
    """CSV in the header format of ``neo4j-admin database import`` (lists as ;-separated arrays)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []

    def column(key: str, values: list[Any]) -> str:
        sample = next((v for v in values if v is not None), None)
        if isinstance(sample, list):
            inner = next((x for v in values if v for x in v), "")
            return f"{key}:{'long' if isinstance(inner, int) and not isinstance(inner, bool) else 'string'}[]"
        if isinstance(sample, bool):
            return f"{key}:boolean"
        if isinstance(sample, int):
            return f"{key}:long"
        if isinstance(sample, float):
            return f"{key}:double"
        return key

    def cell(v: Any) -> Any:
        if isinstance(v, list):
            return ";".join(str(x) for x in v)
        if isinstance(v, bool):
            return "true" if v else "false"
        return "" if v is None else v

    by_label: dict[str, list[dict]] = {}
    for n in nodes:
        by_label.setdefault(n["label"], []).append(n)
    for lab, group in by_label.items():
        keys = sorted({k for n in group for k in n["props"] if k != "id"})
        path = folder / f"nodes_{lab}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([f"id:ID({lab})", ":LABEL"] + [column(k, [n["props"].get(k) for n in group]) for k in keys])
            for n in group:
                w.writerow([n["id"], ";".join(n["labels"])] + [cell(n["props"].get(k)) for k in keys])
        written.append(path)
    by_type: dict[tuple, list[dict]] = {}
    for r in rels:
        by_type.setdefault((r["type"], r["a_label"], r["b_label"]), []).append(r)
    for (typ, a, b), group in by_type.items():
        keys = sorted({k for r in group for k in r["props"]})
        path = folder / f"rels_{typ}_{a}_{b}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(
                [f":START_ID({a})", f":END_ID({b})", ":TYPE"]
                + [column(k, [r["props"].get(k) for r in group]) for k in keys]
            )
            for r in group:
                w.writerow([r["a"], r["b"], typ] + [cell(r["props"].get(k)) for k in keys])
        written.append(path)
    return written


def admin_import_command(paths: list[Path], database: str = "neo4j") -> str:
    """The ``neo4j-admin database import`` line that loads these CSV files into an empty database."""
    nodes = [f"--nodes={p.resolve()}" for p in paths if p.name.startswith("nodes_")]
    rels = [f"--relationships={p.resolve()}" for p in paths if p.name.startswith("rels_")]
    return " ".join(["neo4j-admin database import full", *nodes, *rels, "--array-delimiter=';'",
                     "--overwrite-destination", database])


def _xml_lines(lines: Iterable[str]) -> Iterable[str]:
    """networkx's XML lines with the citygraph mark after the declaration."""
    for i, line in enumerate(lines):
        yield line + "\n"
        if i == 0:
            yield f"<!-- {MARK} -->\n"


def _write_xml(g: nx.Graph, fmt: str, out: Path, force: bool) -> Path:
    lines = nx.generate_graphml(g) if fmt == "graphml" else nx.generate_gexf(g)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as f:
            f.writelines(_xml_lines(lines))

    return replace_file(out, write, force=force)


def export(store: Store, fmt: str, out: Path, view: str | None = None, *, force: bool = False) -> Exported:
    """Write ``fmt`` to ``out``; graphml and gexf hold ``view`` (default: places), csv and cypher the full graph.

    Files are replaced whole, and only earlier citygraph outputs unless ``force`` (see :mod:`citygraph.core.outputs`).
    """
    if fmt not in FORMATS:
        raise ConfigError(f"{fmt!r}: one of {', '.join(FORMATS)}", option="format")
    whole = fmt in ("csv", "cypher")
    view = view or ("full" if whole else "places")
    if whole and view != "full":
        raise ConfigError(f"{view}: csv and cypher exports hold the full graph (for neo4j-admin and "
                          "cypher-shell); views apply to graphml and gexf", option="view")
    if fmt == "csv":
        nodes, rels = read_graph(store)
        paths = write_folder(out, lambda into: write_csv(nodes, rels, into), force=force)
        return Exported(paths, admin_import_command(paths))
    if fmt == "cypher":
        script = f"// {MARK}\n" + ";\n".join(cypher_script(*read_graph(store))) + ";\n"
        return Exported([replace_text(out, script, force=force)])
    g = to_networkx(*read_graph(store)) if view == "full" else view_graph(store, view, fmt)
    return Exported([_write_xml(g, fmt, out, force)])
