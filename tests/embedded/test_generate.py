"""The synthetic network: deterministic, valid, loadable through the ordinary loader; the bench harness runs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from citygraph.analysis.stats import graph_stats
from citygraph.loaders.read import read_paths
from citygraph.loaders.write.writer import write_dataset
from citygraph.query import catalog
from citygraph.synth import generate, write
from tests.conftest import ROOT, run_cli


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a = [p.read_bytes() for p in write(generate(300, 900, seed=5), tmp_path / "a")]
    b = [p.read_bytes() for p in write(generate(300, 900, seed=5), tmp_path / "b")]
    c = [p.read_bytes() for p in write(generate(300, 900, seed=6), tmp_path / "c")]
    assert a == b and a != c


def test_generated_network_is_shaped_like_the_real_one():
    net = generate(2000, 8000, seed=3)
    assert len(net.places) == 2000 and len(net.cooperations) == 8000
    blocs = {p["bloc"] for p in net.places}
    assert {"Europe", "China", "India"} < blocs and "Other" not in blocs  # partner countries by name
    assert {o["kind"] for o in net.organisations} >= {"Company", "University", "Port", "Cluster"}
    assert {p["programme"] for p in net.pilots} == {"EU-China", "EU-India"}
    assert len({c["channel"] for c in net.cooperations}) >= 6
    assert all(c["sources"] and c["involves"][0] != c["involves"][1] for c in net.cooperations)
    # Heavy tail: the busiest place takes part in far more cooperations than the median one.
    degree = Counter(p for edge in net.place_edges() for p in edge)
    counts = sorted(degree.values())
    assert counts[-1] > 20 * counts[len(counts) // 2]


def test_generated_files_load_through_the_ordinary_loader(fresh, tmp_path):
    paths = write(generate(400, 1500, seed=11), tmp_path)
    loaded = read_paths(paths)
    assert not loaded.unresolved
    write_dataset(fresh, loaded.dataset)
    counts = {r["name"]: r["count"] for r in graph_stats(fresh)}
    assert counts["Cooperation"] == 1500 and counts["Place"] == 400
    # Model invariants: every cooperation cites a source, every place has one kind label, ids unique.
    assert fresh.read("MATCH (c:Cooperation) WHERE NOT (c)-[:CITED_IN]->(:Source) RETURN count(c) AS n")[0]["n"] == 0
    assert fresh.read("MATCH (p:Place) WHERE NOT (p:City OR p:Region OR p:Country) RETURN count(p) AS n")[0]["n"] == 0
    assert fresh.read("MATCH (p:Place) WITH p.id AS id, count(*) AS n WHERE n > 1 RETURN count(id) AS d")[0]["d"] == 0
    assert catalog.run(fresh, "hubs")[0]["partner_count"] >= 3
    write_dataset(fresh, read_paths(paths).dataset)  # idempotent
    assert {r["name"]: r["count"] for r in graph_stats(fresh)} == counts


def test_generate_cli(tmp_path, cli_env):
    out = run_cli("generate", "--places", "50", "--seed", "2", "--out", str(tmp_path / "g"), env=cli_env)
    assert out.returncode == 0, out.stderr
    files = out.stdout.split()
    assert [p.rsplit("/", 1)[1] for p in files] == ["documents.csv", "places.csv", "organisations.csv",
                                                    "pilots.csv", "cooperations.csv"]
    assert run_cli("load", *files, env=cli_env).returncode == 0
    bad = run_cli("generate", "--places", "3", "--out", str(tmp_path / "h"), env=cli_env)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


def test_bench_harness_smoke(tmp_path):
    """`make bench` at 10^3 links and a small page: the harness runs end to end (no timing assertions)."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "benchmarks.json").read_text())
    size = results["sizes"][0]
    assert size["links"] == 1000 and size["rows"] > 1000
    assert {c["metric"] for c in size["centrality"]} == {
        "degree",
        "betweenness",
        "closeness",
        "eigenvector",
        "pagerank",
    }
    assert all(c.get("equal", True) for c in size["centrality"])
    assert results["pages"][0]["nodes"] == 200
    text = (tmp_path / "benchmarks.md").read_text()
    assert "## Targets" in text and (tmp_path / "benchmarks.png").stat().st_size > 10_000
