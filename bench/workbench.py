"""How fast the workbench answers, measured over HTTP as the page asks.

A generated network (``citygraph generate``, four cooperations per place) is
loaded into a fresh embedded database and served by ``citygraph serve``;
each request the page makes is sent 20 times after one warm-up, and its
p50 and p95 are reported: expanding the busiest place and a median one,
the named ``hubs`` query (both readings), a search, the countries overview
and the facts behind one link. The target (#33): expanding a node and
running a named query answer in under 200 ms at 10^5 links. Results go to
``docs/benchmarks-workbench.json``, which ``bench/run.py`` renders into
``docs/benchmarks.md``.

    python bench/workbench.py [--links 100000] [--out docs]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.embedded.serving import serving  # noqa: E402

TARGET_MS = 200.0
REPEATS = 20


def _cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "citygraph", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: citygraph {' '.join(args)} failed: {done.stderr.strip()[-800:]}")


def _timed(call: Callable[[], httpx.Response]) -> dict[str, float]:
    call().raise_for_status()  # warm-up
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        call().raise_for_status()
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}


def measure(links: int, work: Path) -> dict:
    db = work / "g.db"
    env = {**os.environ, "CITYGRAPH_URI": f"embedded:{db}", "CITYGRAPH_IDLE": "0"}
    _cli(env, "generate", "--places", str(max(10, links // 4)), "--links", str(links), "--seed", "7",
         "--out", str(work / "gen"))
    _cli(env, "load", *sorted(str(p) for p in (work / "gen").glob("*.csv")))
    with serving(db, env=env, timeout=300) as served:
        c = httpx.Client(base_url=served.base, timeout=120)
        c.get(served.url)
        csrf = re.search(r'citygraph-csrf" content="([^"]+)"', c.get("/").text).group(1)
        post = {"headers": {"x-csrf-token": csrf}}
        busiest_first = ("MATCH (p:Place)-[r:COOPERATES_WITH]-() "
                         "RETURN p.id AS id, p.name AS name, count(r) AS n ORDER BY n DESC")
        degrees = c.post("/api/cypher", json={"text": busiest_first}, **post).json()["rows"]
        busiest, median = degrees[0], degrees[len(degrees) // 2]
        first = c.get("/api/expand", params={"key": f"Place:{busiest['id']}"}).json()["neighbours"][0]["key"]
        steps = {
            f"expand the busiest place ({busiest['n']} cooperations)":
                lambda: c.get("/api/expand", params={"key": f"Place:{busiest['id']}"}),
            f"expand a median place ({median['n']} cooperations)":
                lambda: c.get("/api/expand", params={"key": f"Place:{median['id']}"}),
            "query hubs (any cooperation)": lambda: c.post("/api/query/hubs", json={"params": {}}, **post),
            "query hubs --via pilots": lambda: c.post("/api/query/hubs", json={"params": {"via": "pilots"}}, **post),
            "search by a name": lambda: c.get("/api/search", params={"q": busiest["name"][:5]}),
            "countries overview": lambda: c.get("/api/overview"),
            "the facts behind one link": lambda: c.get("/api/provenance/link", params={
                "a": f"Place:{busiest['id']}", "b": first}),
        }
        timings = {name: _timed(call) for name, call in steps.items()}
    return {"links": links, "places": len(degrees), "repeats": REPEATS, "target_ms": TARGET_MS, "steps": timings}


def markdown(result: dict) -> list[str]:
    """The workbench section of docs/benchmarks.md."""
    lines = ["", "## Workbench", "",
             f"`citygraph serve` on {result['links']:,} generated links ({result['places']:,} places with "
             f"cooperations), each request sent {result['repeats']} times over HTTP after a warm-up "
             "(`bench/workbench.py`). Target: expanding a node and a named query under "
             f"{result['target_ms']:.0f} ms.", "",
             "| request | p50 ms | p95 ms | target met |", "|---|---|---|---|"]
    for name, t in result["steps"].items():
        targeted = name.startswith(("expand", "query"))
        met = ("yes" if t["p50_ms"] < result["target_ms"] else "no") if targeted else "—"
        lines.append(f"| {name} | {t['p50_ms']:.1f} | {t['p95_ms']:.1f} | {met} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--links", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="citygraph-bench-workbench-") as work:
        result = measure(args.links, Path(work))
    (args.out / "benchmarks-workbench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("\n".join(markdown(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
