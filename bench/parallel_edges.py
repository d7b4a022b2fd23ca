"""Why the writer creates a new cooperation's shortcuts instead of merging them.

Measures, on the embedded FalkorDB, the cost per row of writing K parallel
relationships between the same two nodes (one per cooperation, keyed by its
id) with ``MERGE`` and with ``CREATE``; then, with an edge index on the key,
how long a fresh server takes to open the saved file.

    python bench/parallel_edges.py [--parallel 5000] [--reopen-edges 200000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citygraph.core.config import resolve  # noqa: E402
from citygraph.store import open_store  # noqa: E402

BATCH = 1000


def per_row_us(graph, query: str, rows: list[dict]) -> float:
    start = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        graph.query(query, {"rows": rows[i:i + BATCH]})
    return (time.perf_counter() - start) * 1e6 / len(rows)


def parallel(k: int, folder: Path) -> dict[str, float]:
    store = open_store(settings=resolve(f"embedded:{folder / 'parallel.db'}", "parallel"))
    try:
        g = store._graph
        g.query("CREATE INDEX FOR (n:Place) ON (n.id)")
        g.query("UNWIND range(0, 3) AS i CREATE (:Place {id: 'p' + toString(i)})")
        ends = "UNWIND $rows AS row MATCH (a:Place {id: row.a}) MATCH (b:Place {id: row.b}) "
        merge = [{"a": "p0", "b": "p1", "key": f"c{i}"} for i in range(k)]
        create = [{"a": "p2", "b": "p3", "key": f"c{i}"} for i in range(k)]
        return {
            "merge_us": per_row_us(g, ends + "MERGE (a)-[:COOPERATES_WITH {cooperation: row.key}]->(b)", merge),
            "create_us": per_row_us(g, ends + "CREATE (a)-[:COOPERATES_WITH {cooperation: row.key}]->(b)", create),
        }
    finally:
        store.close()


def reopen_seconds(edges: int, folder: Path, edge_index: bool, timeout: float) -> float | None:
    """Seconds a fresh server takes to open a file of ``edges`` parallel keyed edges (None: over ``timeout``)."""
    import multiprocessing
    import os
    import signal

    path = folder / f"reopen-{int(edge_index)}.db"
    store = open_store(settings=resolve(f"embedded:{path}", "reopen"))
    g = store._graph
    g.query("CREATE INDEX FOR (n:Place) ON (n.id)")
    if edge_index:
        g.query("CREATE INDEX FOR ()-[r:COOPERATES_WITH]-() ON (r.cooperation)")
    g.query("UNWIND range(0, 99) AS i CREATE (:Place {id: i})")
    for s in range(0, edges, 20_000):
        g.query("UNWIND range($s, $e) AS i MATCH (a:Place {id: i % 10}), (b:Place {id: 10 + i % 7}) "
                "CREATE (a)-[:COOPERATES_WITH {cooperation: 'c' + toString(i)}]->(b)",
                {"s": s, "e": min(edges, s + 20_000) - 1})
    store.save()
    store.close()
    proc = multiprocessing.get_context("spawn").Process(target=_open, args=(str(path),))
    before = _servers()
    start = time.perf_counter()
    proc.start()
    proc.join(timeout)
    took = time.perf_counter() - start
    if proc.is_alive():
        proc.kill()
        proc.join()
        for pid in _servers() - before:  # the server still rebuilding its index: it never answered
            os.kill(pid, signal.SIGKILL)
        path.with_name(path.name + ".settings").unlink(missing_ok=True)
        return None
    return took


def _open(path: str) -> None:
    store = open_store(settings=resolve(f"embedded:{path}", "reopen"))
    store.read("RETURN 1")
    store.close()


def _servers() -> set[int]:
    import psutil

    return {p.pid for p in psutil.process_iter(["name"]) if "redis" in (p.info["name"] or "")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parallel", type=int, default=5000, help="parallel relationships between one pair")
    ap.add_argument("--reopen-edges", type=int, default=200_000, help="parallel keyed edges in the reopen test")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for a server to open the file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="citygraph-parallel-") as tmp:
        folder = Path(tmp)
        p = parallel(args.parallel, folder)
        print(f"{args.parallel:,} parallel relationships: MERGE {p['merge_us']:.1f} µs/row, "
              f"CREATE {p['create_us']:.1f} µs/row")
        for edge_index in (False, True):
            took = reopen_seconds(args.reopen_edges, folder, edge_index, args.timeout)
            shown = (f"opens the file in {took:.1f} s" if took is not None
                     else f"did not open the file in {args.timeout:.0f} s")
            print(f"{args.reopen_edges:,} parallel edges, edge index {'on' if edge_index else 'off'}: "
                  f"a fresh server {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
