"""How long a real-sized twin-town list takes to load, as a user runs it.

A list of 26,114 rows (the size of the public twin-town list an analyst
finds first) in the shapes real lists have: GeoNames towns, countries as
people write them, pairs restated from the other side in another spelling,
self-pairs and empty cells (``tests/fixtures/lists/messy.py``). It is loaded
with ``citygraph load … --on-error skip`` into a fresh embedded database,
then loaded again (nothing new); reading alone (parse, resolve, validate) is
timed in this process. The same list without the partner's country column
(one side's country, as Wikipedia's list) is loaded with no world index on
disk yet, then with it; and the world gazetteer's start is timed three ways.
Rows per link: the nodes and relationships the first load created (places
included) per cooperation. Results go to ``docs/benchmarks-pairs.json``,
which ``bench/run.py`` renders into ``docs/benchmarks.md``.

    python bench/pairlist.py [--rows 26114] [--out docs]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citygraph.loaders.options import ReadOptions  # noqa: E402
from citygraph.loaders.read import read_paths  # noqa: E402
from tests.fixtures.lists.messy import COLUMNS, make_list  # noqa: E402

TARGET_SECONDS = 30.0


def _cli(env: dict[str, str], *args: str) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "citygraph", *args], env=env, capture_output=True, text=True,
                          check=True)
    return time.perf_counter() - started, json.loads(done.stdout)


def _one_country(path: Path, work: Path) -> Path:
    """The same list with the partner's country column dropped: a Wikipedia-shaped list (one side's country)."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    keep = [i for i, name in enumerate(rows[0]) if name != "country2"]
    out = work / "one-country.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows([[r[i] for i in keep if i < len(r)] for r in rows])
    return out


def gazetteer_start(work: Path) -> dict:
    """The world gazetteer's start: built in memory as loads did (every country's names), the on-disk index
    built once, and the index opened by a later load; each in a fresh process."""
    code = {
        "memory": "from citygraph.loaders.resolve.world import geonames_world as g; w = g(); "
                  "[w.find('x', c) for c in w.countries()]; w.anywhere('x')",
        "index_first": "from citygraph.loaders.resolve.worldindex import world; world().find('x', 'FR')",
        "index_warm": "from citygraph.loaders.resolve.worldindex import world; world().find('x', 'FR')",
    }
    env = {**os.environ, "CITYGRAPH_CACHE_DIR": str(work / "cache")}
    out = {}
    for name, source in code.items():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], env=env, check=True)
        out[f"gazetteer_{name}_s"] = round(time.perf_counter() - started, 2)
    return out


def one_country_loads(path: Path, work: Path) -> dict:
    """The one-country list loaded into a fresh database with no world index yet, then into another with it."""
    listed = _one_country(path, work)
    columns = "a=city1,a_country=country1,b=city2"
    out = {}
    for run in ("first", "warm"):
        env = {**os.environ, "CITYGRAPH_URI": f"embedded:{work / f'one-{run}.db'}",
               "CITYGRAPH_CACHE_DIR": str(work / "one-country-cache")}
        took, summary = _cli(env, "load", str(listed), "--columns", columns, "--on-error", "skip",
                             "--max-skipped", "50", "-f", "json")
        counts = {r["what"]: r["count"] for r in summary}
        out[f"one_country_{run}_s"] = round(took, 2)
    out["one_country_without_country"] = counts.get("places resolved without a country (review them)", 0)
    out["one_country_cooperations"] = counts.get("cooperations", 0)
    return out


def measure(rows: int, work: Path, seed: int = 7) -> dict:
    messy = make_list(rows, seed)
    path = messy.write(work / "twins.csv", delimiter=";")
    started = time.perf_counter()
    read = read_paths([path], ReadOptions(columns=COLUMNS))
    reading = time.perf_counter() - started
    env = {**os.environ, "CITYGRAPH_URI": f"embedded:{work / 'pairs.db'}"}
    load = ("load", str(path), "--columns", COLUMNS, "--on-error", "skip", "--max-skipped", "50", "-f", "json")
    fresh, summary = _cli(env, *load)
    again, second = _cli(env, *load)
    counts = {r["what"]: r["count"] for r in summary}
    return {
        "rows": len(messy.rows), "distinct_pairs": len(messy.pairs), "cooperations": counts["cooperations"],
        "merged": counts["rows merged as duplicates"], "rejected": counts["rows rejected"],
        "world_places": counts.get("places found in the world gazetteer", 0),
        "as_written": counts.get("places kept as written", 0), "places": counts.get("places", 0),
        "seconds_read": round(reading, 2), "seconds_load": round(fresh, 2), "seconds_reload": round(again, 2),
        "reload_created": sum(r["count"] for r in second if r["what"].endswith("created")),
        # nodes and relationships the first load created, per cooperation (its places included)
        "rows_per_link": round((counts["nodes created"] + counts["relationships created"]) / counts["cooperations"],
                               2),
        "children_peak_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "target_seconds": TARGET_SECONDS, "read_rejected": len(read.rejected),
        **one_country_loads(path, work), **gazetteer_start(work),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=26_114)
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="citygraph-pairs-") as tmp:
        result = measure(args.rows, Path(tmp))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmarks-pairs.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0 if result["seconds_load"] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
