"""Memory a load holds per byte of input, by kind of file (the figures behind loaders/budget.py).

    python bench/readmem.py [--rows N]

For each kind, files of N rows are written (a list of pairs from the
messy-list generator, canonical CSV tables and one YAML file from the
synthetic network), then a fresh process reads and plans them as
`citygraph load` does and prints the peak resident memory that added, per
byte of input.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIST_FIELDS = ("sectors", "involves", "sources", "aliases", "europe", "partner")


def _files(kind: str, rows: int, work: Path) -> tuple[list[Path], object]:
    from citygraph.loaders.options import ReadOptions
    from citygraph.synth import generate, write

    if kind == "pairs":
        from tests.fixtures.lists.messy import COLUMNS, make_list

        return [make_list(rows, 7).write(work / "twins.csv", delimiter=";")], ReadOptions(columns=COLUMNS)
    tables = write(generate(max(10, rows // 4), rows, seed=1), work / "csv")
    if kind == "table":
        return tables, None
    import yaml

    data = {p.stem: [{k: (v.split(";") if k in LIST_FIELDS else v) for k, v in row.items() if v != ""}
                     for row in csv.DictReader(p.open(encoding="utf-8"))] for p in tables}
    path = work / "all.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.rmtree(work / "csv")
    return [path], None


def measure(kind: str, folder: Path) -> dict:
    """In a fresh process: read and plan the files in ``folder`` as a load does, and measure it."""
    from citygraph.loaders.options import ReadOptions
    from citygraph.loaders.plan import plan
    from citygraph.loaders.read import read_paths
    from tests.fixtures.lists.messy import COLUMNS

    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in paths)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    read = read_paths(paths, ReadOptions(columns=COLUMNS) if kind == "pairs" else None)
    plan(read.dataset, None)
    seconds = time.perf_counter() - started
    added = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    return {"kind": kind, "input_mib": round(size / 2**20, 1), "seconds": round(seconds, 1),
            "added_mib": round(added / 2**20), "bytes_per_byte": round(added / size, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kind", choices=("pairs", "table", "mapping"), help=argparse.SUPPRESS)
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read:
        print(json.dumps({"rows": args.rows, **measure(args.kind, args.read)}))
        return 0
    for kind in ("pairs", "table", "mapping"):
        with tempfile.TemporaryDirectory() as tmp:
            _files(kind, args.rows, Path(tmp))  # written here, read in a process of its own
            out = subprocess.run([sys.executable, __file__, "--kind", kind, "--rows", str(args.rows),
                                  "--read", tmp], capture_output=True, text=True, check=True)
        print(out.stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
