"""citygraph beside its peers on one real-shaped twin list: a plain batched UNWIND and LadybugDB.

The list is the 26,114-row one of ``bench/pairlist.py`` (GeoNames towns in the
shapes real lists have). citygraph loads it as a user does (``citygraph load
… --on-error skip``, a fresh data file, a cold gazetteer cache). The distinct
pairs citygraph resolved (its places and the pairs of its cooperations) then go
into the same embedded FalkorDB through a plain batched ``UNWIND … MERGE``,
and into LadybugDB (``ladybug``, the maintained Kùzu fork: embedded Cypher,
``COPY FROM``). Two queries run in each, in the engine (the query alone, in
this process) and as a whole process (start, query, answer, exit): every
place's degree (the ten busiest), and the places two hops from the busiest.
citygraph's whole process runs on a resident server, as an analyst's second
command does. Results go to ``docs/benchmarks-peers.json``, and into the
peers section of ``docs/benchmarks.md``.

    python bench/peers.py [--rows 26114] [--out docs]
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.lists.messy import COLUMNS, make_list  # noqa: E402

RUNS = 5
#: Runs of each whole process, taken in turn: start-up times vary more than queries do.
PROCESS_RUNS = 15
BATCH = 1000
DEGREE = ("MATCH (t:{town})-[r:{twin}]-() RETURN t.{key} AS town, count(r) AS n ORDER BY n DESC, town LIMIT 10")
TWO_HOPS = ("MATCH (a:{town} {{{key}: $key}})-[:{twin}]-()-[:{twin}]-(c:{town}) WHERE c <> a "
            "RETURN count(DISTINCT c) AS n")
#: The labels each engine holds the list under: citygraph's model, and the plain one of the peers.
CITYGRAPH = {"town": "Place", "twin": "COOPERATES_WITH", "key": "id"}
PLAIN = {"town": "Town", "twin": "TWIN", "key": "key"}


def _median(times: list[float]) -> float:
    return round(statistics.median(times), 4)


def _timed(run, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return _median(times)


def citygraph_load(path: Path, work: Path) -> tuple[float, dict[str, str]]:
    """``citygraph load`` as a user runs it, cold: a fresh data file and an empty gazetteer cache."""
    env = dict(os.environ, CITYGRAPH_URI=f"embedded:{work / 'citygraph' / 'list.db'}", CITYGRAPH_IDLE="300",
               XDG_CACHE_HOME=str(work / "cache"))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citygraph", "load", str(path), "--columns", COLUMNS, "--on-error", "skip",
                    "--max-skipped", "50", "-f", "json"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started, env


def pairs_of(env: dict[str, str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The distinct places and pairs citygraph resolved, as the peers get them."""
    from citygraph.store import open_store

    os.environ["CITYGRAPH_URI"] = env["CITYGRAPH_URI"]
    store = open_store()
    try:
        towns = [r["id"] for r in store.read("MATCH (p:Place) RETURN p.id AS id")]
        pairs = [(r["a"], r["b"]) for r in store.read("MATCH (a:Place)-[:COOPERATES_WITH]->(b:Place) "
                                                      "RETURN DISTINCT a.id AS a, b.id AS b")]
    finally:
        store.close()
    return towns, pairs


def raw_unwind(towns: list[str], pairs: list[tuple[str, str]], work: Path) -> dict:
    """The same places and pairs through a plain batched UNWIND … MERGE into a fresh embedded FalkorDB."""
    from redislite.falkordb_client import FalkorDB

    db = FalkorDB(str(work / "raw.rdb"))
    graph = db.select_graph("peers")
    graph.query("CREATE INDEX FOR (t:Town) ON (t.key)")
    started = time.perf_counter()
    for i in range(0, len(towns), BATCH):
        graph.query("UNWIND $rows AS k MERGE (:Town {key: k})", {"rows": towns[i:i + BATCH]})
    for i in range(0, len(pairs), BATCH):
        graph.query("UNWIND $rows AS p MATCH (a:Town {key: p[0]}), (b:Town {key: p[1]}) MERGE (a)-[:TWIN]->(b)",
                    {"rows": [list(p) for p in pairs[i:i + BATCH]]})
    load = time.perf_counter() - started
    busiest = graph.ro_query(DEGREE.format(**PLAIN)).result_set[0][0]
    result = {"load_s": round(load, 3), "busiest": busiest,
              "degree_s": _timed(lambda: graph.ro_query(DEGREE.format(**PLAIN))),
              "two_hops_s": _timed(lambda: graph.ro_query(TWO_HOPS.format(**PLAIN), {"key": busiest}))}
    db.close()  # stops its server before the temporary folder goes
    return result


RAW_LOAD = """
import csv, sys
from redislite.falkordb_client import FalkorDB
towns = [line.rstrip("\\n") for line in open(sys.argv[2], encoding="utf-8")]
pairs = list(csv.reader(open(sys.argv[3], encoding="utf-8", newline="")))
db = FalkorDB(sys.argv[1])
graph = db.select_graph("peers")
graph.query("CREATE INDEX FOR (t:Town) ON (t.key)")
for i in range(0, len(towns), {batch}):
    graph.query("UNWIND $rows AS k MERGE (:Town {{key: k}})", {{"rows": towns[i:i + {batch}]}})
for i in range(0, len(pairs), {batch}):
    graph.query("UNWIND $rows AS p MATCH (a:Town {{key: p[0]}}), (b:Town {{key: p[1]}}) MERGE (a)-[:TWIN]->(b)",
                {{"rows": pairs[i:i + {batch}]}})
db.client.save()
print("saved", flush=True)
db.close()
"""


def raw_load_process(towns: list[str], pairs: list[tuple[str, str]], work: Path) -> float:
    """The plain UNWIND as a whole process, as a script of an analyst's would run it: start Python and the
    embedded server on a fresh file, read the resolved places and pairs, MERGE them in batches, save, exit."""
    (work / "raw-towns.txt").write_text("".join(f"{t}\n" for t in towns), encoding="utf-8")
    with (work / "raw-pairs.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(pairs)
    script = RAW_LOAD.format(batch=BATCH)
    times = []
    for n in range(3):
        started = time.perf_counter()
        with subprocess.Popen([sys.executable, "-c", script, str(work / f"raw-process-{n}.rdb"),
                               str(work / "raw-towns.txt"), str(work / "raw-pairs.csv")],
                              stdout=subprocess.PIPE, text=True) as script_run:
            assert script_run.stdout is not None and script_run.stdout.readline().strip() == "saved"
            # until the graph is saved: redislite's own close then waits about 4.7 s for its server to end,
            # which would flatter citygraph (whose resident server is left running)
            times.append(time.perf_counter() - started)
        if script_run.returncode != 0:
            raise SystemExit("bench: the plain UNWIND script failed")
    return round(_median(times), 3)


def ladybug(towns: list[str], pairs: list[tuple[str, str]], work: Path) -> dict | None:
    """The same places and pairs into LadybugDB with COPY FROM; None where ``ladybug`` is not installed."""
    try:
        import ladybug as lb
    except ImportError:
        return None
    for name, rows in (("towns.csv", [[t] for t in towns]), ("pairs.csv", pairs)):
        with (work / name).open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    database = lb.Database(str(work / "ladybug"))
    conn = lb.Connection(database)
    conn.execute("CREATE NODE TABLE Town(key STRING, PRIMARY KEY(key))")
    conn.execute("CREATE REL TABLE TWIN(FROM Town TO Town)")
    started = time.perf_counter()
    conn.execute(f"COPY Town FROM '{work / 'towns.csv'}' (HEADER=false)")
    conn.execute(f"COPY TWIN FROM '{work / 'pairs.csv'}' (HEADER=false)")
    load = time.perf_counter() - started
    busiest = conn.execute(DEGREE.format(**PLAIN)).get_next()[0]
    script = (f"import ladybug as lb; c = lb.Connection(lb.Database({str(work / 'ladybug')!r})); "
              f"r = c.execute({DEGREE.format(**PLAIN)!r}); print(r.get_next())")
    result = {"load_s": round(load, 3), "busiest": busiest,
              "degree_s": _timed(lambda: conn.execute(DEGREE.format(**PLAIN))),
              "two_hops_s": _timed(lambda: conn.execute(TWO_HOPS.format(**PLAIN), {"key": busiest}))}
    conn.close()
    database.close()  # one process holds a LadybugDB database at a time
    result["degree_process_s"] = _timed(lambda: subprocess.run([sys.executable, "-c", script], check=True,
                                                               capture_output=True))
    return result


def citygraph_queries(env: dict[str, str]) -> dict:
    """The two queries on citygraph's graph: in the engine, as ``citygraph cypher`` on a resident server, and
    as a raw falkordb client script on the same server."""
    from citygraph.store import open_store

    degree, two_hops = DEGREE.format(**CITYGRAPH), TWO_HOPS.format(**CITYGRAPH)
    whole = whole_process(env, degree, PROCESS_RUNS)  # the server is resident from its first run on
    os.environ["CITYGRAPH_URI"] = env["CITYGRAPH_URI"]
    store = open_store()
    try:
        busiest = store.read(degree)[0]["town"]
        in_engine = {"degree_s": _timed(lambda: store.read(degree)),
                     "two_hops_s": _timed(lambda: store.read(two_hops, {"key": busiest}))}
    finally:
        store.close()
    return {**in_engine, "busiest": busiest, "degree_process_s": whole["citygraph_s"],
            "degree_raw_process_s": whole["raw_s"]}


def whole_process(env: dict[str, str], query: str, runs: int = RUNS, graph: str = "citygraph") -> dict[str, float]:
    """``query`` as whole processes on the resident server of ``env``'s data file: ``citygraph cypher`` (JSON
    out) against a script that starts Python, connects a falkordb client to the same server's socket and runs
    the same Cypher, taken in turn; the medians. The first command starts the server if none is running;
    ``graph``: the graph's name on it."""
    import psutil

    from citygraph.store.registry import listening_socket
    from citygraph.store.resident import live_servers

    compile_checkout()
    command = [sys.executable, "-m", "citygraph", "--database", graph, "cypher", query, "-f", "json"]
    subprocess.run(command, env=env, check=True, capture_output=True)
    data_file = Path(env["CITYGRAPH_URI"].removeprefix("embedded:")).resolve()
    server = next(s for s in live_servers() if s.path.resolve() == data_file)
    socket = listening_socket(psutil.Process(server.pid))
    raw = [sys.executable, "-c", f"from falkordb import FalkorDB; g = FalkorDB(unix_socket_path={socket!r})"
           f".select_graph({graph!r}); print(g.ro_query({query!r}).result_set[0])"]
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(_timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True), 1))
        theirs.append(_timed(lambda: subprocess.run(raw, check=True, capture_output=True), 1))
    return {"citygraph_s": _median(mine), "raw_s": _median(theirs)}


def compile_checkout() -> None:
    """Installed from a wheel, citygraph's modules are compiled at install time; an editable checkout (or
    PYTHONDONTWRITEBYTECODE) would compile them in every command instead: some 20 ms of each whole process."""
    for package in ("graph", "loaders"):
        compileall.compile_dir(ROOT / package, quiet=1)


def start_up() -> dict[str, float]:
    """``citygraph --help`` and ``--version`` as whole processes: the medians of :data:`PROCESS_RUNS`."""
    compile_checkout()
    return {flag.strip("-") + "_s": _timed(lambda f=flag: subprocess.run([sys.executable, "-m", "citygraph", f],
                                                                          check=True, capture_output=True),
                                           PROCESS_RUNS)
            for flag in ("--help", "--version")}


def measure(rows: int, work: Path) -> dict:
    compile_checkout()
    path = work / "twins.csv"
    listed = make_list(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows([["city1", "country1", "city2", "country2"], *listed.rows])
    load_s, env = citygraph_load(path, work)
    towns, pairs = pairs_of(env)
    result = {"rows": rows, "towns": len(towns), "pairs": len(pairs), "citygraph_load_s": round(load_s, 3),
              "raw": raw_unwind(towns, pairs, work) | {"load_process_s": raw_load_process(towns, pairs, work)},
              "ladybug": ladybug(towns, pairs, work),
              "citygraph": citygraph_queries(env), "start_up": start_up()}
    stopped = subprocess.run([sys.executable, "-m", "citygraph", "server", "stop", "--force"], env=env,
                             capture_output=True, text=True)
    if stopped.returncode != 0:
        raise SystemExit(f"could not stop the list's server: {stopped.stderr.strip()}")
    return result


def markdown(r: dict) -> list[str]:
    """The peers section of docs/benchmarks.md: one table of figures, ratios against the plain UNWIND."""
    raw, lb, cg = r["raw"], r["ladybug"], r["citygraph"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.1f}×" if b else "—"

    whole = raw.get("load_process_s")
    rows = [["load, whole process (s)", f"{r['citygraph_load_s']:.2f}", f"{whole:.2f}" if whole else "—", "—",
             ratio(r["citygraph_load_s"], whole) if whole else "—"],
            ["load, the engine calls alone (s)", "—", f"{raw['load_s']:.2f}", f"{lb['load_s']:.2f}" if lb else "—",
             "—"],
            ["degree, in the engine (ms)", f"{cg['degree_s'] * 1000:.1f}", f"{raw['degree_s'] * 1000:.1f}",
             f"{lb['degree_s'] * 1000:.1f}" if lb else "—", ratio(cg["degree_s"], raw["degree_s"])],
            ["two hops, in the engine (ms)", f"{cg['two_hops_s'] * 1000:.1f}", f"{raw['two_hops_s'] * 1000:.1f}",
             f"{lb['two_hops_s'] * 1000:.1f}" if lb else "—", ratio(cg["two_hops_s"], raw["two_hops_s"])],
            ["degree, whole process (ms)", f"{cg['degree_process_s'] * 1000:.0f}",
             f"{cg['degree_raw_process_s'] * 1000:.0f}", f"{lb['degree_process_s'] * 1000:.0f}" if lb else "—",
             ratio(cg["degree_process_s"], cg["degree_raw_process_s"])]]
    up = r.get("start_up")
    if up:
        rows += [[f"`citygraph --{flag}`, whole process (ms)", f"{up[flag + '_s'] * 1000:.0f}", "—", "—", "—"]
                 for flag in ("help", "version")]
    table = ["| measure | citygraph | plain UNWIND / raw client (FalkorDB) | LadybugDB | citygraph / plain |",
             "|---|---|---|---|---|", *("| " + " | ".join(row) + " |" for row in rows)]
    return ["", "## Peers", "", f"`python bench/peers.py`: the {r['rows']:,}-row list ({r['towns']:,} places and "
            f"{r['pairs']:,} distinct pairs once citygraph resolved them). citygraph's load is the whole command, "
            "cold (a fresh file, an empty gazetteer cache: parse, resolve, check, write, save). The plain UNWIND "
            "is measured twice: as a whole process (a script that starts Python and the embedded server on a fresh "
            "file, reads the resolved places and pairs, MERGEs them in batches and saves, timed until saved: "
            "redislite's close then waits some 4.7 s for its server) and as the engine "
            "calls alone; LadybugDB's COPY is its engine calls alone. The whole-process degree "
            "query is `citygraph cypher` on a resident server against a falkordb client script on the same "
            "server (and a LadybugDB script opening its database).", "", *table,
            "", f"Targets: load at most 4× the plain UNWIND, whole process against whole process "
            f"({ratio(r['citygraph_load_s'], whole) if whole else '—'}, "
            f"{'met' if whole and r['citygraph_load_s'] <= 4 * whole else 'not met'}); a whole-process query at most "
            f"1.3× a raw client ({ratio(cg['degree_process_s'], cg['degree_raw_process_s'])}, "
            f"{'met' if cg['degree_process_s'] <= 1.3 * cg['degree_raw_process_s'] else 'not met'})"
            + (f"; `--help` and `--version` under 150 ms ({up['help_s'] * 1000:.0f} ms, "
               f"{'met' if up['help_s'] < 0.15 else 'not met'}; {up['version_s'] * 1000:.0f} ms, "
               f"{'met' if up['version_s'] < 0.15 else 'not met'})" if up else "") + "."]


def write_section(doc: Path, lines: list[str]) -> None:
    """Put the peers section in ``doc``, replacing an earlier one (up to the next section), or at its end."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    section = "\n".join(lines).strip("\n")
    start = text.find("\n## Peers\n")
    if start < 0:
        doc.write_text(text.rstrip("\n") + "\n\n" + section + "\n", encoding="utf-8")
        return
    end = text.find("\n## ", start + 1)
    rest = text[end:] if end >= 0 else "\n"
    doc.write_text(text[:start].rstrip("\n") + "\n\n" + section + "\n" + rest, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=26_114)
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="citygraph-peers-") as tmp:
        result = measure(args.rows, Path(tmp))
    (args.out / "benchmarks-peers.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    write_section(args.out / "benchmarks.md", markdown(result))
    print("\n".join(markdown(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
