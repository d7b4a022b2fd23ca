"""`make bench`: how citygraph's cost grows with size, measured in one run.

For each size (cooperation links) on the embedded engine:

* generate a synthetic network (``citygraph.synth``) and parse it through the
  ordinary structured loader;
* load it with the project's writer, with the engine's raw ``UNWIND … MERGE``
  on the same rows and statements, and with a naive loader that sends one
  statement per row (the py2neo habit; on a proportional sample of the rows,
  since at full size it would take hours);
* p50 / p95 latency of the ``hubs``, ``bridges``, ``partners`` and
  ``provenance`` named queries;
* centrality per metric, networkx against rustworkx, results compared;
* peak memory (RSS of this process, and of its children: the embedded server,
  the browser) of every step.

Then pages of 500, 2,000 and 10,000 nodes are rendered and opened in headless
Chromium (through Playwright, driving Debian's chromium) until the page is
still. Results go to ``docs/benchmarks.md`` (tables, targets, machine facts),
``docs/benchmarks.png`` and ``docs/benchmarks.json``: regenerated, never
edited by hand.

    python bench/run.py                 # 10^3, 10^4, 10^5 links
    python bench/run.py --full          # and 10^6
    python bench/run.py --smoke --out /tmp/b   # 10^3 only, quick: checks the harness
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import psutil
import rustworkx as rx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.peers import CITYGRAPH, DEGREE, whole_process  # noqa: E402
from citygraph.analysis import analytics  # noqa: E402
from citygraph.analysis.backends import compute  # noqa: E402
from citygraph.core.config import resolve  # noqa: E402
from citygraph.loaders.plan import plan, row_count  # noqa: E402
from citygraph.loaders.read import read_paths  # noqa: E402
from citygraph.loaders.write.bulk import bulk_build  # noqa: E402
from citygraph.loaders.write.writer import write_plan  # noqa: E402
from citygraph.model import vocabulary as V  # noqa: E402
from citygraph.model.statements import SCHEMA_KEYS  # noqa: E402
from citygraph.query import catalog  # noqa: E402
from citygraph.store import open_store  # noqa: E402
from citygraph.synth import generate, write  # noqa: E402
from citygraph.views.render import (  # noqa: E402
    COMFORTABLE_NODES,
    network_data,
    render_page,  # noqa: E402
    write_page,
)
from citygraph.views.worldmap import write_map  # noqa: E402

MiB = 2**20
#: Benchmarked queries: a name, the named query and its parameters (``hub`` stands for the top hub's name).
QUERIES = {"hubs": ("hubs", {}), "hubs_pilots": ("hubs", {"via": "pilots"}), "bridges": ("bridges", {}),
           "partners": ("partners", {"place": "hub"}), "provenance": ("provenance", {"id": "gen-coop-0"})}
EXACT_NX = 5_000  # networkx all-pairs metrics (betweenness, closeness) exact up to this many nodes
EXACT_RX = 30_000  # rustworkx (parallel Rust) exact up to this many
SAMPLE_PIVOTS = 500  # betweenness pivots above EXACT_NX (networkx, seeded) ...
SAMPLE_PIVOTS_LARGE = 100  # ... and above 20,000 places, where each pivot is a BFS over the whole view
FAST_PIVOTS = 1000  # networkit's sampled betweenness (C++, parallel): where exact is out of reach, and beside it
NAIVE_ROWS = 3_000  # rows the naive loader sends per size
#: Processes measured beside our children: the embedded servers daemonize, so
#: they are not children of this process.
WATCH: set[int] = set()


# --- measuring ---------------------------------------------------------------

@dataclass
class Step:
    seconds: float = 0.0
    py_peak_mib: float = 0.0
    children_peak_mib: float = 0.0


@contextmanager
def measured(into: dict[str, Step], name: str):
    """Wall time and peak RSS (this process; its children) while the block runs."""
    me = psutil.Process()
    peak = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        while True:
            kids = 0
            for pid in {c.pid for c in me.children(recursive=True)} | WATCH:
                with suppress(psutil.Error):
                    kids += psutil.Process(pid).memory_info().rss
            peak[0] = max(peak[0], me.memory_info().rss)
            peak[1] = max(peak[1], kids)
            if stop.wait(0.02):
                return

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        stop.set()
        t.join()
        into[name] = Step(round(elapsed, 4), round(peak[0] / MiB, 1), round(peak[1] / MiB, 1))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --- loaders compared ------------------------------------------------------------

def raw_unwind(store, the_plan, batch_size: int) -> tuple[int, float]:
    """The engine alone: the writer's statements and rows straight to the FalkorDB client, one after the other.

    Rows are made part by part as the writer makes them, but only the engine calls are timed: the
    result is the engine's own batch speed, with no planning, no counters and no Store layer.
    """
    graph = store._graph  # the falkordb Graph
    rows, seconds = 0, 0.0
    for part in the_plan.parts():
        for statement, group in part.statements(store.serial_writes):
            t = time.perf_counter()
            for i in range(0, len(group), batch_size):
                graph.query(statement, {"rows": group[i:i + batch_size]})
            seconds += time.perf_counter() - t
            rows += row_count(group)
    return rows, seconds


def naive_statements(the_plan, budget: int, total: int) -> list[tuple[str, dict]]:
    """One parameterised statement per row, on a proportional prefix of every group of every part."""
    share = min(1.0, budget / total)
    out = []
    for part in the_plan.parts():
        for (lab, kind), group in part.nodes.items():
            extra = f", n:{V.label(kind)}" if kind else ""
            q = f"MERGE (n:{V.label(lab)} {{id: $id}}) SET n += $props{extra}"
            out += [(q, {"id": r["id"], "props": r["props"]}) for r in group[:max(1, round(len(group) * share))]]
        for (rel, src, dst), group in part.rels.items():
            key = V.REL_MERGE_KEYS.get(rel)
            pattern = f" {{{V.property_key(key)}: $key}}" if key else ""
            q = (f"MATCH (a:{V.label(src)} {{id: $a}}) MATCH (b:{V.label(dst)} {{id: $b}}) "
                 f"MERGE (a)-[r:{V.rel_type(rel)}{pattern}]->(b) SET r += $props")
            out += [(q, r) for r in group[:max(1, round(len(group) * share))]]
    return out


# --- centrality compared -----------------------------------------------------------

def centrality_rows(g: nx.Graph) -> list[dict[str, Any]]:
    n = g.number_of_nodes()
    rows = []
    for metric in analytics.METRICS:
        row: dict[str, Any] = {"metric": metric, "nodes": n, "edges": g.number_of_edges()}
        exact_all_pairs = metric in ("betweenness", "closeness")
        nx_result = rx_result = None
        if not exact_all_pairs or n <= EXACT_NX or metric == "betweenness":
            sample = None
            if metric == "betweenness" and n > EXACT_NX:
                sample = SAMPLE_PIVOTS if n <= 20_000 else SAMPLE_PIVOTS_LARGE
            t = time.perf_counter()
            try:
                nx_result = compute(g, metric, backend="networkx", sample=sample).values
                row["networkx_s"] = round(time.perf_counter() - t, 4)
                row["networkx_mode"] = f"sampled k={sample}" if sample else "exact"
            except nx.PowerIterationFailedConvergence:
                row["networkx_mode"] = f"did not converge ({time.perf_counter() - t:.1f} s)"
        if not exact_all_pairs or n <= EXACT_RX:
            t = time.perf_counter()
            try:
                rx_result = compute(g, metric, backend="rustworkx").values
                row["rustworkx_s"] = round(time.perf_counter() - t, 4)
            except rx.FailedToConverge:
                row["rustworkx_mode"] = f"did not converge ({time.perf_counter() - t:.1f} s)"
        if metric == "betweenness" and n > EXACT_NX:
            # Sampled in C++ where the exact value is out of reach; beside rustworkx's exact one, its error.
            t = time.perf_counter()
            nk_result = compute(g, "betweenness", backend="networkit", sample=FAST_PIVOTS).values
            row["networkit_s"] = round(time.perf_counter() - t, 4)
            row["networkit_mode"] = f"sampled k={min(FAST_PIVOTS, n)}"
            if rx_result is not None:
                row["networkit_max_err"] = max(abs(nk_result[k] - rx_result[k]) for k in rx_result)
                row["max_exact"] = max(rx_result.values())
        if nx_result is not None and rx_result is not None and row.get("networkx_mode") == "exact":
            row["max_abs_diff"] = max(abs(nx_result[k] - rx_result[k]) for k in nx_result) if nx_result else 0.0
            # iterative metrics each stop at their own tolerance
            tolerance = 1e-3 if metric in ("eigenvector", "pagerank") else 1e-9
            row["equal"] = row["max_abs_diff"] <= tolerance  # reported, and fails the run once results are written
        rows.append(row)
    return rows


# --- pages in headless Chromium -------------------------------------------------------


def time_pages(store, sizes: list[int], workdir: Path) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("bench: chromium is not installed (.ci/run installs Debian's chromium)")
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9", "--disable-background-networking"],
        )
        for k in sizes:
            steps: dict[str, Step] = {}
            with measured(steps, "build"):
                data = network_data(store, max_nodes=k)
                out = write_page(data, workdir / f"page-{k}.html")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            with measured(steps, "browser"):
                page.goto(out.as_uri())
                page.wait_for_function("window.citygraph && window.citygraph.stable", timeout=180_000, polling=50)
            drawn = page.evaluate("[window.citygraph.nodes.length, window.citygraph.edges.length]")
            page.close()
            if errors:
                raise SystemExit(f"bench: the {k}-node page logged errors: {errors[:3]}")
            rows.append(
                {
                    "requested": k,
                    "nodes": drawn[0],
                    "edges": drawn[1],
                    "physics": bool(data["options"]["physics"]["enabled"]),
                    "trimmed": data["trimmed"],
                    "page_mib": round(out.stat().st_size / MiB, 2),
                    "build_s": steps["build"].seconds,
                    "browser_s": steps["browser"].seconds,
                    "peak_py_mib": steps["build"].py_peak_mib,
                    "peak_browser_mib": steps["browser"].children_peak_mib,
                }
            )
        browser.close()
    return rows


# --- one size ---------------------------------------------------------------------------


def reopen(store, db_file: Path):
    """(Re)start the embedded server on ``db_file``; its memory is watched as a child's."""
    if store is not None:
        WATCH.discard(server_pid(store))
        store.close()
    store = open_store(settings=resolve(f"embedded:{db_file}", "bench"))
    if server_pid(store):
        WATCH.add(server_pid(store))
    return store


def server_pid(store) -> int | None:
    return getattr(getattr(getattr(store, "_embedded", None), "client", None), "pid", None)


def engine_baselines(store: Any, dataset: Any, batch_size: int, steps: dict[str, Step],
                     log: Callable[[str], None], links: int) -> tuple[int, float, int]:
    """The engine alone (the writer's statements and rows, raw UNWIND), then one statement per row."""
    store.clear()
    store.ensure_schema(SCHEMA_KEYS)
    baseline = plan(dataset, store)
    with measured(steps, "raw_unwind"):
        raw_rows, raw_seconds = raw_unwind(store, baseline, batch_size)
    log(f"  {links:>9,} links: raw UNWIND in {raw_seconds:.2f} s of engine calls")
    store.clear()
    store.ensure_schema(SCHEMA_KEYS)
    naive = naive_statements(baseline, NAIVE_ROWS, raw_rows)
    del baseline
    with measured(steps, "naive"):
        for q, params in naive:
            store.write(q, params)
    return raw_rows, raw_seconds, len(naive)


def query_latency(store: Any, hub: str, repeats: int, steps: dict[str, Step]) -> dict[str, Any]:
    """p50/p95 of each benchmarked named query."""
    latency = {}
    for name, (query, given) in QUERIES.items():
        params = {k: hub if v == "hub" else v for k, v in given.items()}
        times = []
        with measured(steps, f"query_{name}"):
            for _ in range(repeats):
                t = time.perf_counter()
                catalog.run(store, query, params)
                times.append(time.perf_counter() - t)
        latency[name] = {"p50_ms": round(percentile(times, 0.5) * 1000, 2),
                         "p95_ms": round(percentile(times, 0.95) * 1000, 2), "runs": repeats}
    return latency


def run_size(
    links: int, workdir: Path, seed: int, batch_size: int, repeats: int, log: Callable[[str], None]
) -> tuple[dict[str, Any], Any]:
    """One size: generate, parse, the engine's baselines, the writer, save, reopen, queries, centrality.

    The writer runs last: its graph is saved as `citygraph load` saves it, and the queries run on it
    through a server started afresh on the saved file, as each `citygraph query` finds it (a server
    that held and dropped the graphs above keeps their memory fragmented).
    """
    places = max(10, links // 4)
    steps: dict[str, Step] = {}
    with measured(steps, "generate"):
        paths = write(generate(places, links, seed), workdir / f"gen-{links}")
    with measured(steps, "parse"):
        dataset = read_paths(paths).dataset
    store = reopen(None, db_file := workdir / f"bench-{links}.db")
    raw_rows, raw_seconds, naive_rows = engine_baselines(store, dataset, batch_size, steps, log, links)
    # The bulk build and the writer each on a server of their own, as `citygraph load` into a new file finds
    # it: one that held and dropped the baselines' graphs keeps their memory.
    store = reopen(store, workdir / f"bench-{links}-bulk.db")
    store.clear()
    with measured(steps, "bulk"):  # `load --bulk`, the default into an empty graph: plan, pack, GRAPH.BULK, finish
        bulk_rows = bulk_build(store, plan(dataset, store)).rows
    log(f"  {links:>9,} links: bulk build {bulk_rows:,} records in {steps['bulk'].seconds:.2f} s")
    store = reopen(store, db_file)
    store.clear()
    with measured(steps, "writer"):
        report = write_plan(store, plan(dataset, store), batch_size=batch_size)
    rows = report.rows
    assert rows == raw_rows, (rows, raw_rows)
    log(f"  {links:>9,} links: writer {rows:,} rows in {steps['writer'].seconds:.2f} s")
    with measured(steps, "save"):  # `citygraph load` ends by saving the file
        store.save()
    stats = {r["label"]: r["n"] for r in store.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n")}
    parties = store.read("MATCH (a)-[:COOPERATES_WITH]-() RETURN count(DISTINCT a) AS n")[0]["n"]
    with measured(steps, "reopen"):  # what every `citygraph` command on the embedded engine starts with
        store = reopen(store, db_file)
        store.read("RETURN 1")
    fallback = dataset.places[0].name
    # Drop the loaded data: millions of live objects make every cyclic garbage collection during the
    # queries slow, which a `citygraph query` process (fresh, small) never sees.
    del dataset
    gc.collect()
    latency = query_latency(store, (catalog.run(store, "hubs") or [{"place": fallback}])[0]["place"], repeats, steps)
    log(f"  {links:>9,} links: hubs p50 {latency['hubs']['p50_ms']} ms")
    with measured(steps, "whole_query"):  # `citygraph cypher` on the resident server against a raw client script
        whole = whole_process(dict(os.environ, CITYGRAPH_URI=f"embedded:{db_file}"), DEGREE.format(**CITYGRAPH),
                              runs=7 if links >= 10**6 else 15, graph="bench")
    log(f"  {links:>9,} links: whole-process query {whole['citygraph_s']:.3f} s, raw client {whole['raw_s']:.3f} s")
    with measured(steps, "project"):
        g = analytics.project(store, "places")
    with measured(steps, "centrality"):
        central = centrality_rows(g)
    log(f"  {links:>9,} links: centrality on {g.number_of_nodes():,} places done")
    with measured(steps, "render"):  # `citygraph render`, as the CLI calls it
        render_page(store, workdir / f"page-{links}.html", force=True)
    with measured(steps, "map"):  # `citygraph map`
        write_map(store, workdir / f"map-{links}.html", force=True)
    result = {
        "links": links,
        "places": places,
        "rows": rows,
        "nodes": sum(stats.values()),
        "parties": parties,
        "writer_rows_s": round(rows / steps["writer"].seconds),
        "raw_rows_s": round(rows / raw_seconds),
        "naive_rows": naive_rows,
        "naive_rows_s": round(naive_rows / steps["naive"].seconds),
        "load_end_to_end_s": round(steps["parse"].seconds + steps["writer"].seconds + steps["save"].seconds, 2),
        "bulk_end_to_end_s": round(steps["parse"].seconds + steps["bulk"].seconds + steps["save"].seconds, 2),
        "queries": latency,
        "whole_query": whole,
        "centrality": central,
        "view_nodes": g.number_of_nodes(),
        "view_edges": g.number_of_edges(),
        "steps": {k: asdict(v) for k, v in steps.items()},
    }
    return result, store


# --- report -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "falkordblite": version("falkordblite"),
        "falkordb": version("falkordb"),
        "networkx": version("networkx"),
        "rustworkx": version("rustworkx"),
        "pyvis": version("pyvis"),
    }


def targets(results: list[dict], pages: list[dict]) -> list[tuple[str, str, bool | None]]:
    by = {r["links"]: r for r in results}
    out: list[tuple[str, str, bool | None]] = []
    largest = results[-1]
    ratio = largest["writer_rows_s"] / largest["raw_rows_s"]
    out.append(("writer ≥ 90% of raw UNWIND … MERGE", f"{ratio:.0%} at {largest['links']:,} links", ratio >= 0.9))
    naive = largest["writer_rows_s"] / largest["naive_rows_s"]
    out.append(("writer ≥ 30× the naive loader", f"{naive:.0f}× at {largest['links']:,} links", naive >= 30))
    gain = largest["load_end_to_end_s"] / largest["bulk_end_to_end_s"]
    out.append(("bulk build ≥ 2× the writer into an empty graph, end to end",
                f"{gain:.1f}× at {largest['links']:,} links ({largest['bulk_end_to_end_s']:.1f} s against "
                f"{largest['load_end_to_end_s']:.1f} s)", gain >= 2))
    if 10**6 in by:
        r = by[10**6]
        steps = ("parse", "bulk", "save")
        python = max(r["steps"][s]["py_peak_mib"] for s in steps)
        total = max(r["steps"][s]["py_peak_mib"] + r["steps"][s]["children_peak_mib"] for s in steps)
        out.append(("10^6 links loaded < 60 s (in bulk, end to end)", f"{r['bulk_end_to_end_s']:.0f} s",
                    r["bulk_end_to_end_s"] < 60))
        out.append(("10^6 links: peak < 1.5 GiB in Python, < 5 GiB in all",
                    f"{python / 1024:.1f} GiB in Python, {total / 1024:.1f} GiB in all",
                    python < 1536 and total < 5120))
    else:
        out.append(("10^6 links loaded < 60 s, peak < 1.5 GiB in Python", "not run (make bench FULL=1)", None))
    for links in (10**5, 10**6):
        whole = by.get(links, {}).get("whole_query")
        if whole:
            ratio = whole["citygraph_s"] / whole["raw_s"]
            out.append((f"a whole-process query ≤ 1.3× a raw client script at 10^{len(str(links)) - 1} links",
                        f"{ratio:.2f}× ({whole['citygraph_s'] * 1000:.0f} ms against {whole['raw_s'] * 1000:.0f} ms)",
                        ratio <= 1.3))
    for links, target in ((10**5, 100), (10**6, 300)):
        for name, what in (("hubs", "any cooperation"), ("hubs_pilots", "--via pilots")):
            if links in by and name in by[links]["queries"]:
                p50 = by[links]["queries"][name]["p50_ms"]
                out.append((f"hubs ({what}) p50 < {target} ms at 10^{len(str(links)) - 1} links", f"{p50:.0f} ms",
                            p50 < target))
    big = max(results, key=lambda r: r["view_nodes"])
    bc = next(c for c in big["centrality"] if c["metric"] == "betweenness")
    runs = [
        (v, name)
        for v, name in (
            (bc.get("networkx_s"), f"networkx, {bc.get('networkx_mode', 'exact')}"),
            (bc.get("rustworkx_s"), "rustworkx, exact"),
            (bc.get("networkit_s"), f"networkit, {bc.get('networkit_mode')}"),
        )
        if v is not None
    ]
    exact = [(v, name) for v, name in runs if name.endswith("exact")]
    fastest, how = min(exact or runs)  # sampled only where no exact value was reached
    out.append(
        (
            "betweenness on the largest places view < 30 s",
            f"{fastest:.1f} s on {big['view_nodes']:,} places ({how})",
            fastest < 30,
        )
    )
    ten = next((p for p in pages if p["requested"] == 10_000), None)
    if ten:
        out.append(
            ("10,000-node page still < 10 s in headless Chromium", f"{ten['browser_s']:.1f} s", ten["browser_s"] < 10)
        )
    return out


def plot(results: list[dict], pages: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    x = [r["links"] for r in results]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    ax = axes[0]
    ax.loglog(x, [r["rows"] / r["writer_rows_s"] for r in results], "o-", label="citygraph writer")
    ax.loglog(x, [r["rows"] / r["raw_rows_s"] for r in results], "s--", label="raw UNWIND … MERGE")
    ax.loglog(
        x, [r["rows"] / r["naive_rows_s"] for r in results], "^:", label="naive, one statement per row (extrapolated)"
    )
    ax.loglog(x, [r["steps"]["parse"]["seconds"] for r in results], "d-.", label="parse + validate")
    ax.set(title="Load time", xlabel="cooperation links", ylabel="seconds")
    ax.legend(fontsize=8)
    ax = axes[1]
    for name in QUERIES:
        measured_ = [(xi, r["queries"][name]["p50_ms"]) for xi, r in zip(x, results) if name in r["queries"]]
        if measured_:
            ax.loglog(*zip(*measured_), "o-", label=f"{name} p50")
    ax.set(title="Query latency", xlabel="cooperation links", ylabel="milliseconds")
    ax.legend(fontsize=8)
    ax = axes[2]
    for metric in analytics.METRICS:
        for lib, style in (("networkx", "o-"), ("rustworkx", "s--")):
            pts = [
                (r["view_nodes"], c[f"{lib}_s"])
                for r in results
                for c in r["centrality"]
                if c["metric"] == metric and f"{lib}_s" in c
            ]
            if pts:
                ax.loglog(*zip(*pts), style, label=f"{metric} ({lib})")
    ax.set(title="Centrality", xlabel="places in the view", ylabel="seconds")
    ax.legend(fontsize=6, ncol=2)
    fig.suptitle("citygraph on the embedded FalkorDB: cost against size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bounds(results: list[dict], pages: list[dict]) -> list[str]:
    """The reading of the numbers: what grows, and what limits each target. Figures come from this run."""
    largest, smallest = results[-1], results[0]
    engine_us = {r["links"]: 1e6 / r["raw_rows_s"] for r in results}
    per_stmt_us = 1e6 / largest["naive_rows_s"]
    rows_per_link = largest["rows"] / largest["links"]
    steps = largest["steps"]
    parse_us = 1e6 * steps["parse"]["seconds"] / largest["links"]
    engine_s = largest["rows"] / largest["raw_rows_s"]
    out = [
        "- **Loading is bound by the engine.** FalkorDB applies writes on one thread. Its own batched "
        f"`UNWIND … MERGE` costs {engine_us[smallest['links']]:.0f} µs per row at {smallest['links']:,} links and "
        f"{engine_us[largest['links']]:.0f} µs at {largest['links']:,}: every row updates the id index under a "
        "uniqueness constraint, and those grow with the graph. The writer makes the next part's rows in Python "
        "while a second thread sends the current part, so Python and the server work on the two cores at once; "
        f"that is how it reaches {largest['writer_rows_s'] / largest['raw_rows_s']:.0%} of the engine's raw speed "
        "(raw sends the same batches one after the other and times only the engine calls).",
        "- **Parallel shortcuts.** The generator, like a programme with busy pilot pairs, puts thousands of "
        "cooperations on one pair of parties, and each one is a parallel COOPERATES_WITH relationship. A MERGE "
        "scans every parallel relationship between its two ends (255 µs per row at 5,000 parallel against 8 µs "
        "for a CREATE, measured in isolation), which made loading quadratic. On FalkorDB, which runs each write "
        "query alone, a cooperation's shortcuts now go in the same query as the cooperation: created outright "
        "when it is new, merged only when it existed (a reload). An edge index on the shortcut's `cooperation` "
        "key was tried first and dropped: FalkorDB rebuilds it each time a server opens the file, and a "
        "10^5-link file then did not open in six minutes (it opens in about a second without it; see the "
        "`reopen` step).",
        f"- **The naive loader on a local socket.** One statement per row costs {per_stmt_us:.0f} µs here: the "
        "embedded server is on a Unix socket, so a round trip is cheap and the naive loader is only "
        f"{largest['writer_rows_s'] / largest['naive_rows_s']:.0f}× slower than the writer; 30× would need the "
        "writer to run faster than the engine's own batches. Across a network, at 1 ms per round trip, one "
        "statement per row cannot pass 1,000 rows/s, while batches pay the round trip once per thousand rows.",
        f"- **The bulk build is bound by Python, on every core.** Built with GRAPH.BULK, {largest['links']:,} "
        f"links took {steps['bulk']['seconds']:.1f} s against {steps['writer']['seconds']:.1f} s for the writer; "
        "the engine's part is small (about 0.6 s of GRAPH.BULK commands at 10^5 links, measured with the "
        "commands timed alone). The rest is making each part's rows from the checked items, folding what a "
        "MERGE would fold and packing each value, which worker processes do, one per core, while the loading "
        "process numbers the nodes and sends the commands (at 10^5 links: 9.9 s in one process, 7.5 s with two "
        "workers; at 10^6, 96.9 s and 66.7 s): on two cores that is the machine's whole CPU. Then the "
        "constraints and REACHES (about 1 s); places carry their party marks in their own rows, so no pass marks "
        "them (it took 1 s at 10^5 links and 10 s at 10^6). `falkordb-bulk-loader` was tried first, fed CSV "
        "files: 1.1× the writer end to end at 10^5 links, its own CSV parsing and type guessing taking 15 s; "
        "citygraph packs its typed rows itself (store/bulkformat.py). Packing dispatches on the value's type: "
        "an isinstance chain cost 2 s more at 10^5 links.",
        f"- **Rows per link.** Each cooperation link becomes about {rows_per_link:.1f} rows: the cooperation, its "
        "CITED_IN (one Source node per document), UNDER, IN_SECTOR, two INVOLVES and the derived COOPERATES_WITH, "
        "plus the places and "
        f"organisations. At {largest['links']:,} links that is {largest['rows'] / 1e6:.1f} million rows and "
        f"{engine_s:.0f} s of engine time alone, before parsing.",
        f"- **Parsing and validation** cost {parse_us:.0f} µs per link ({steps['parse']['seconds']:.0f} s at "
        f"{largest['links']:,}): CSV reading, one pydantic model per item with its own validators (contact data, "
        "dates, source references), then the whole-dataset checks. They run before anything is written, so that "
        "a bad row writes nothing. Each item is validated as its row is read and then held compact "
        "(loaders/dataset/compact.py): its values as a tuple, marshalled with 4,095 others, about 200 bytes instead of "
        "the 4 KB of a pydantic model with its involvements and sources. The whole-dataset checks read the "
        "fields they need (ids, references) straight from the packed tuples; only the parts being written are "
        "models again. With CSV tables read row by row and every section written in parts of 20,000, a 10^6-link "
        "load peaks at 1.16 GiB in Python (5.9 before) and 3.9 GiB in all (8.7). Tables of 8 MiB or more are "
        "checked in worker processes, batch by batch, while the loading process reads the file (10^6 links: "
        "44 s to 35 s to read), and the whole-dataset passes read plain fields with C getters a chunk at a "
        "time (plan 24.6 s to 15.5 s). What remains grows with the distinct ids (the id table, the bulk "
        "build's node numbers for the places and organisations), not with the rows.",
        "- **hubs through any cooperation (the default) reads what every write keeps.** Its answer counts every "
        "place of another bloc joined to a place by any cooperation, through organisations and sub-places on both "
        "sides. Walking that at every call took 2.1 s in the engine at 10^6 links, and the whole answer (22,210 "
        "places, 209,169 partner names) took 0.3 s more to move into Python. Every write now derives "
        "PARTNERS_WITH once per pair of partner places, the label Partnered on the places with any, and on each "
        "party place its partner counts and partner names by bloc (citygraph/upkeep/partners.py); hubs ranks "
        "the Partnered places by the counts, lists the busiest 50 (`limit`) and reads their kept names. Measured "
        "by hand on a writer-built graph of 10^6 links, in the engine: walking the listed places' PARTNERS_WITH "
        "and sorting the names took 145 ms, reading the kept names 75 ms; scanning only the Partnered places "
        "(118,286 of 250,000) took 99 ms where reading every place's counts took 160. The price is on every "
        "write: the refresh took about 13 s at 10^6 links on that graph (drop 1.5, walk 3.8, pilots 0.6, reset "
        "1.4, counts and names 6.2), against about 10 s with counts only; the names' sort and collection are "
        "most of the difference.",
        "- **hubs --via pilots grows with the distinct (partner, place) pairs the European pilot partners reach**: "
        "for every "
        "European pilot partner it walks down to its organisations and sub-places, across their shortcuts, and "
        "up the far side's hierarchy, then counts distinct partners per place: a whole-graph aggregation, not a "
        "lookup. The query is staged, DISTINCT between the hops, and follows each shortcut in its one direction "
        "(a cross-bloc shortcut starts at the European party), so a pair joined by thousands of cooperations is "
        "walked up once. At 10^5 links that took it from 178 ms to 63 ms with the same rows (tests compare it "
        "with the expanding query it replaced). Following shortcuts in both directions instead costs little "
        "(71 ms against 70). An earlier staged form was measured three times slower than the expanding one "
        "(629 ms against 194 ms); the form kept here puts the pilot pairings in a separate UNION branch, so "
        "the walk carries no list from row to row. Only places that are themselves parties are listed; testing "
        "that with a pattern (an incoming HAS_PARTNER, INVOLVES or SIGNED_BY) cost 46 ms at 10^5 links (115 ms "
        "against 69 ms without it), so the writer marks such places `party` and the query reads the mark (75 ms). "
        "Walking each far-side place up its hierarchy once, with the partners collected per place, was slower "
        "(137 ms against 119 ms with the pattern). The walk now runs once after every write, into derived "
        "REACHES relationships (2.3 s and 162,669 relationships at 10^6 links), and the pilots reading reads "
        "those; its p50 is the Queries table's hubs_pilots. At 10^6 links most of it is the engine's aggregation "
        "of every (partner, place) pair before the busiest 50 are taken: the pilots reading keeps no counts.",
        "- **Centrality**: degree, PageRank and eigenvector are near-linear and take seconds even at the largest "
        "size. Betweenness and closeness need one shortest-path search per node (O(nm)); exact values are out of "
        "reach above a few tens of thousands of places, so networkx samples pivots (an estimate, seeded) and "
        "rustworkx runs exactly only where it finishes in reasonable time. rustworkx is the faster backend "
        "(Rust, parallel, same results within tolerance); it is chosen over igraph because it installs as a "
        "self-contained wheel and its API maps one-to-one onto networkx's metrics. It has no sampled "
        "betweenness, so above its exact range networkit (C++, parallel, also a self-contained wheel) estimates "
        "it from seeded pivots, the estimator networkx's `k` uses, at a fraction of networkx's time per pivot.",
        f"- **Pages**: up to {COMFORTABLE_NODES:,} nodes the browser runs the physics simulation and then stops; "
        "above that, the page is laid out once in Python and drawn still, so the browser only draws.",
    ]
    return out


def md_table(header: list[str], rows: Iterable[list[Any]]) -> list[str]:
    """A markdown table: the header, a separator as wide as the header, one line per row."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def _md_loading(results: list[dict], pages: list[dict]) -> list[str]:
    def row(r: dict) -> list[Any]:
        w = r["steps"]["writer"]
        return [f"{r['links']:,}", f"{r['rows']:,}", f"{r['steps']['parse']['seconds']:.2f}", f"{w['seconds']:.2f}",
                f"{r['writer_rows_s']:,}", f"{r['raw_rows_s']:,}", f"{r['writer_rows_s'] / r['raw_rows_s']:.0%}",
                f"{r['naive_rows_s']:,}", f"{r['writer_rows_s'] / r['naive_rows_s']:.0f}×",
                f"{w['py_peak_mib']:.0f} / {w['children_peak_mib']:.0f}",
                f"{r['steps']['bulk']['seconds']:.2f}", f"{r['load_end_to_end_s'] / r['bulk_end_to_end_s']:.1f}×"]

    return [
        "",
        "## Loading",
        "",
        "Rows are the writer's UNWIND rows (nodes and relationships). Writer = plan (checks, grouping) + "
        "making the rows + batched UNWIND … MERGE through the Store, batches sent on a background thread "
        "while the next part is made; raw = the same statements and batches sent straight to the FalkorDB "
        "client one after the other, only the engine calls timed; naive = one MERGE statement per row on a "
        f"{NAIVE_ROWS:,}-row proportional sample; bulk = `load --bulk` (the default into an empty graph): the "
        "same plan made and packed for GRAPH.BULK by worker processes, then the constraints and REACHES; its "
        "gain is parse + write + save with the writer against the same with the bulk build.",
        "",
        *md_table(["links", "rows", "parse s", "writer s", "writer rows/s", "raw rows/s", "writer/raw",
                   "naive rows/s", "writer/naive", "peak MiB (python / server)", "bulk s",
                   "bulk gain, end to end"], map(row, results)),
    ]


def _md_queries(results: list[dict], pages: list[dict]) -> list[str]:
    rows = ([f"{r['links']:,}", *(f"{r['queries'][q]['p50_ms']:.1f} / {r['queries'][q]['p95_ms']:.1f}"
                                  if q in r["queries"] else "—" for q in QUERIES)] for r in results)
    whole = ([f"{r['links']:,}", f"{w['citygraph_s'] * 1000:.0f}", f"{w['raw_s'] * 1000:.0f}",
              f"{w['citygraph_s'] / w['raw_s']:.2f}×"] for r in results if (w := r.get("whole_query")))
    return ["", "## Queries", "", *md_table(["links", *(f"{q} p50 / p95 ms" for q in QUERIES)], rows), "",
            "A query as a whole process: `citygraph cypher` with every place's degree (the ten busiest, JSON out) "
            "on the data file's resident server, against a script that starts Python, connects a falkordb client "
            "to the same server and runs the same Cypher; taken in turn, medians.", "",
            *md_table(["links", "citygraph cypher ms", "raw client script ms", "ratio"], whole)]


def _centrality_row(r: dict, c: dict) -> list[Any]:
    nxs = f"{c['networkx_s']:.3f}" if "networkx_s" in c else "skipped"
    rxs = f"{c['rustworkx_s']:.3f}" if "rustworkx_s" in c else c.get("rustworkx_mode", "skipped")
    diff = f"{c['max_abs_diff']:.1e}" if "max_abs_diff" in c else "—"
    diff += " (over tolerance)" if c.get("equal") is False else ""
    nks = f"{c['networkit_s']:.3f} ({c['networkit_mode']})" if "networkit_s" in c else "—"
    nkerr = f"{c['networkit_max_err']:.1e} / {c['max_exact']:.1e}" if "networkit_max_err" in c else "—"
    return [f"{r['links']:,}", f"{c['nodes']:,}", f"{c['edges']:,}", c["metric"], nxs,
            c.get("networkx_mode", "—"), rxs, diff, nks, nkerr]


def _md_centrality(results: list[dict], pages: list[dict]) -> list[str]:
    return [
        "",
        "## Centrality (places view)",
        "",
        f"networkx runs betweenness exactly up to {EXACT_NX:,} places, with {SAMPLE_PIVOTS} seeded pivots "
        f"above, {SAMPLE_PIVOTS_LARGE} above 20,000 (an estimate: each pivot costs one BFS of the view); "
        f"closeness (all pairs) up to {EXACT_NX:,}. rustworkx (Rust, parallel) runs every metric exactly, "
        f"the all-pairs ones up to {EXACT_RX:,} places. Where both ran exactly, results agree within 1e-9 "
        "(1e-3 for eigenvector and PageRank, which are iterative and each stop at their own convergence tolerance).",
        "",
        f"Above {EXACT_NX:,} places betweenness is also estimated by networkit (C++, parallel) from "
        f"{FAST_PIVOTS:,} seeded pivots, the same estimator as networkx's; where rustworkx's exact values exist, "
        "the estimate's largest error against them is shown beside the largest exact value.",
        "",
        *md_table(["links", "places", "edges", "metric", "networkx s", "mode", "rustworkx s", "max abs diff",
                   "networkit s (sampled)", "its max error / max exact"],
                  (_centrality_row(r, c) for r in results for c in r["centrality"])),
    ]


def _md_pages(results: list[dict], pages: list[dict]) -> list[str]:
    rows = ([f"{p['requested']:,}", f"{p['nodes']:,}", f"{p['edges']:,}", "on, then off" if p["physics"] else "off",
             p["page_mib"], f"{p['build_s']:.2f}", f"{p['browser_s']:.2f}",
             f"{p['peak_py_mib']:.0f} / {p['peak_browser_mib']:.0f}"] for p in pages)
    return [
        "",
        "## Pages in headless Chromium",
        "",
        f"Up to {COMFORTABLE_NODES:,} nodes the page simulates physics until stable and then stops; above "
        "that the renderer keeps the best-connected nodes (`--max-nodes`), lays them out once in Python "
        "(ForceAtlas2 on the best-connected 800, the others beside a neighbour) and draws them still, physics "
        "off. Browser time runs from navigation until the page reports itself still.",
        "",
        *md_table(["requested", "nodes", "edges", "physics", "page MiB", "build s", "browser s",
                   "peak MiB (python / browser)"], rows),
    ]


def _md_steps(results: list[dict], pages: list[dict]) -> list[str]:
    rows = ([f"{r['links']:,}", name, f"{s['seconds']:.3f}", f"{s['py_peak_mib']:.0f}",
             f"{s['children_peak_mib']:.0f}"] for r in results for name, s in r["steps"].items())
    return ["", "## Steps: time and peak memory", "",
            *md_table(["links", "step", "seconds", "peak MiB python", "peak MiB children"], rows)]


def _md_pairs(pairs: dict | None) -> list[str]:
    """The pair-list load (bench/pairlist.py), when docs/benchmarks-pairs.json holds one."""
    if not pairs:
        return []
    row = [f"{pairs['rows']:,}", f"{pairs['distinct_pairs']:,}", f"{pairs['cooperations']:,}", f"{pairs['merged']:,}",
           f"{pairs['rejected']:,}", f"{pairs['places']:,} ({pairs['world_places']:,} / {pairs['as_written']:,})",
           f"{pairs['seconds_read']:.1f}", f"{pairs['seconds_load']:.1f}", f"{pairs['seconds_reload']:.1f}",
           pairs["reload_created"], f"{pairs.get('rows_per_link', 0):.2f}"]
    return [
        "",
        "## A real-sized list of pairs",
        "",
        f"`python bench/pairlist.py`: {pairs['rows']:,} rows in the shapes real twin-town lists have (GeoNames "
        "towns, countries as written, pairs restated from the other side in another spelling, self-pairs, empty "
        "cells), `;`-separated, loaded with `citygraph load … --on-error skip` into a fresh embedded database "
        "(the whole command: start, read, resolve, write, save), then loaded again.",
        "",
        *md_table(["rows", "distinct pairs", "cooperations", "merged", "rejected", "places (world / as written)",
                   "read s", "load s", "reload s", "created on reload", "rows per link"], [row]),
        *_md_one_country(pairs),
    ]


def _md_one_country(pairs: dict) -> list[str]:
    """The one-country list and the world gazetteer's start, where bench/pairlist.py measured them."""
    if "one_country_first_s" not in pairs:
        return []
    return [
        "",
        "The same list without the partner's country column (`a=city1,a_country=country1,b=city2`: the partner "
        "resolved from its `Town, Region` form or worldwide), loaded when the world gazetteer's on-disk index is "
        "not built yet (first) and when it is (warm); and the gazetteer's start alone, each in a new process:",
        "",
        *md_table(["one-country first s", "one-country warm s", "resolved without a country", "cooperations",
                   "gazetteer in memory s (before)", "index built s (once)", "index opened s"],
                  [[f"{pairs['one_country_first_s']:.1f}", f"{pairs['one_country_warm_s']:.1f}",
                    f"{pairs['one_country_without_country']:,}", f"{pairs['one_country_cooperations']:,}",
                    f"{pairs['gazetteer_memory_s']:.2f}", f"{pairs['gazetteer_index_first_s']:.2f}",
                    f"{pairs['gazetteer_index_warm_s']:.2f}"]]),
    ]


def markdown(results: list[dict], pages: list[dict], facts: dict, command: str, took: float,
             pairs: dict | None = None, out: Path | None = None) -> str:
    """docs/benchmarks.md: targets, what bounds them, then one section per measured step."""
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `{command}` on {time.strftime('%Y-%m-%d')} in {took / 60:.1f} minutes; do not edit by hand. "
        "Raw numbers: `benchmarks.json`.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()),
        "",
        "![cost against size](benchmarks.png)",
        "",
        "## Targets",
        "",
    ]
    met = targets(results, pages)
    if pairs:
        met.append((f"a {pairs['rows']:,}-row list of pairs loads < {pairs['target_seconds']:.0f} s",
                    f"{pairs['seconds_load']:.1f} s", pairs["seconds_load"] < pairs["target_seconds"]))
        if "rows_per_link" in pairs:
            met.append(("≤ 6 rows per pair-list link (nodes and relationships created, places included)",
                        f"{pairs['rows_per_link']:.2f}", pairs["rows_per_link"] <= 6))
    lines += md_table(["target", "measured", "met"],
                      ([name, measured_, "yes" if ok else "no" if ok is False else "—"] for name, measured_, ok in met))
    lines += ["", "## What bounds it", ""] + bounds(results, pages)
    for section in (_md_loading, _md_queries, _md_centrality, _md_pages, _md_steps):
        lines += section(results, pages)
    lines += _md_pairs(pairs)
    lines += _md_peers(out)
    lines += _md_workbench(out)
    return "\n".join(lines) + "\n"


def _md_workbench(out: Path | None) -> list[str]:
    """The workbench section (bench/workbench.py), when docs/benchmarks-workbench.json holds one."""
    path = (out or ROOT / "docs") / "benchmarks-workbench.json"
    if not path.is_file():
        return []
    from bench.workbench import markdown as workbench_markdown

    return workbench_markdown(json.loads(path.read_text(encoding="utf-8")))


def _md_peers(out: Path | None) -> list[str]:
    """The peers section (bench/peers.py), when docs/benchmarks-peers.json holds one."""
    path = (out or ROOT / "docs") / "benchmarks-peers.json"
    if not path.is_file():
        return []
    from bench.peers import markdown as peers_markdown

    return peers_markdown(json.loads(path.read_text(encoding="utf-8")))


def _pairs(out: Path) -> dict | None:
    path = out / "benchmarks-pairs.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    """Long because it is the bench's script: its options, then each size and page in turn, then the files."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="cooperation links per size, comma-separated")
    ap.add_argument("--full", action="store_true", help="add 10^6 links (minutes)")
    ap.add_argument("--smoke", action="store_true", help="10^3 links, few repeats, small pages: checks the harness")
    ap.add_argument("--pages", default="500,2000,10000", help="page sizes in nodes")
    ap.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for benchmarks.md/.png/.json")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument(
        "--from-json", type=Path, help="re-render the report and plot from a benchmarks.json, measuring nothing"
    )
    args = ap.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        command = saved.get("command", "make bench")
        plot(saved["sizes"], saved["pages"], args.out / "benchmarks.png")
        (args.out / "benchmarks.md").write_text(
            markdown(saved["sizes"], saved["pages"], saved["machine"], command, saved.get("seconds", 0),
                     _pairs(args.out), args.out),
            encoding="utf-8",
        )
        return 0
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    page_sizes = [int(s) for s in args.pages.split(",")]
    if args.smoke:
        sizes, page_sizes = [1000], [200]
    if args.full and 10**6 not in sizes:
        sizes.append(10**6)
    command = "make bench" + (" FULL=1" if args.full else "") if not args.smoke else "bench/run.py --smoke"
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    results = []
    with tempfile.TemporaryDirectory(prefix="citygraph-bench-") as tmp:
        work = Path(tmp)
        pages: list[dict] = []
        for i, links in enumerate(sizes):
            repeats = 5 if args.smoke else 30 if links <= 10**4 else 10 if links <= 10**5 else 5
            result, store = run_size(links, work, args.seed, args.batch_size, repeats, log)
            results.append(result)
            # Pages from the smallest graph big enough for the largest page (else the largest graph).
            if not pages and (result["parties"] >= max(page_sizes) or i == len(sizes) - 1):
                log("  pages in headless Chromium")
                pages = time_pages(store, page_sizes, work)
            WATCH.discard(server_pid(store))
            store.close()  # one server at a time: each size's memory is its own
    facts = machine()
    took = time.perf_counter() - started
    (args.out / "benchmarks.json").write_text(
        json.dumps(
            {"machine": facts, "command": command, "seconds": took, "sizes": results, "pages": pages},
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    plot(results, pages, args.out / "benchmarks.png")
    (args.out / "benchmarks.md").write_text(markdown(results, pages, facts, command, took, _pairs(args.out), args.out),
                                            encoding="utf-8")
    log(f"wrote {args.out / 'benchmarks.md'} in {took:.0f} s")
    unequal = [
        f"{c['metric']} at {r['links']:,} links (max abs diff {c['max_abs_diff']:.1e})"
        for r in results
        for c in r["centrality"]
        if c.get("equal") is False
    ]
    if unequal:
        log("bench: networkx and rustworkx disagree beyond tolerance: " + "; ".join(unequal))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
