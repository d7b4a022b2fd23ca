"""Fixtures: the real embedded FalkorDB, and Neo4j when a URI is given.

Tests are split by what they need: pure unit tests take no store; ``store``
runs against the embedded engine, and again against Neo4j when
``CITYGRAPH_TEST_NEO4J_URI`` is set (credentials from NEO4J_USERNAME /
NEO4J_PASSWORD); without it the Neo4j variant is skipped and says why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from citygraph.core.config import resolve
from citygraph.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
# Embedded servers stop with their last command in the suite, so each test finds and leaves none behind;
# tests/embedded/test_resident.py sets its own idle time to test the servers that outlive their commands.
os.environ["CITYGRAPH_IDLE"] = "0"
# The kept report texts go to one folder of the run's own, never the user's data directory.
os.environ.setdefault("CITYGRAPH_TEXTS", tempfile.mkdtemp(prefix="citygraph-texts-"))


def _reports() -> Path:
    """The shared report texts (never copied into the repo).

    Looked for in $CITYGRAPH_REPORTS, ../shared/reports, /work/shared/reports.
    """
    for candidate in (os.environ.get("CITYGRAPH_REPORTS"), ROOT.parent / "shared" / "reports", "/work/shared/reports"):
        if candidate and Path(candidate, "world-cities-eu-china-pilots-2016.txt").is_file():
            return Path(candidate)
    return ROOT.parent / "shared" / "reports"


REPORTS = _reports()


def unknown_copy(tmp_path: Path, name: str) -> Path:
    """A shared report with one more blank line: the same text under another content hash, so the parser's
    own reading is what loads, not the bundled base's reviewed facts for that document."""
    copy = tmp_path / name
    copy.write_bytes((REPORTS / name).read_bytes() + b"\n")
    return copy
NEO4J_URI = os.environ.get("CITYGRAPH_TEST_NEO4J_URI")


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory) -> Store:
    path = tmp_path_factory.mktemp("falkordb") / "test.db"
    store = open_store(settings=resolve(f"embedded:{path}", "citygraph_test"))
    store.create_if_missing()  # a named graph: only a writer creates it
    yield store
    store.close()


@pytest.fixture(scope="session")
def neo4j_store() -> Store:
    if not NEO4J_URI:
        pytest.skip("Neo4j variant: set CITYGRAPH_TEST_NEO4J_URI (and NEO4J_PASSWORD) to run it")
    store = open_store(NEO4J_URI)
    yield store
    store.close()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request) -> Store:
    """An empty graph on each engine (Neo4j only when a URI is given)."""
    s = request.getfixturevalue("embedded_store" if request.param == "falkordb" else "neo4j_store")
    s.clear()
    return s


@pytest.fixture
def two_graphs(tmp_path):
    """Two empty graphs on one embedded server, to build two ways and compare."""
    stores = [open_store(settings=resolve(f"embedded:{tmp_path / 'g.db'}", name)) for name in ("one", "other")]
    for s in stores:
        s.create_if_missing()
    yield stores
    for s in reversed(stores):
        s.close()


@pytest.fixture
def started_workers(monkeypatch) -> list[int]:
    """The process ids of the worker processes (citygraph.loaders.runtime.workers) started while the test runs."""
    from citygraph.loaders.runtime import workers

    started: list[int] = []
    real = workers._Worker.__init__

    def counted(self, work):
        real(self, work)
        started.append(self.process.pid)

    monkeypatch.setattr(workers._Worker, "__init__", counted)
    return started


def all_ended(pids: list[int]) -> bool:
    """Whether every one of these processes has ended (and been waited for)."""
    return all(not Path(f"/proc/{pid}").exists() for pid in pids)


def graph_dump(store: Store) -> tuple[dict, Counter]:
    """Every node (labels and properties, by label and id) and every relationship (type, ends, properties)."""
    nodes = {(sorted(r["l"])[0], r["p"]["id"]): (sorted(r["l"]), r["p"])
             for r in store.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")}
    rels = Counter(json.dumps(r, sort_keys=True) for r in store.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p"))
    return nodes, rels


@pytest.fixture
def fresh(embedded_store) -> Store:
    """The embedded engine, emptied for this test."""
    embedded_store.clear()
    return embedded_store


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    """Environment for CLI subprocesses: a private embedded database."""
    env = dict(os.environ)
    env["CITYGRAPH_URI"] = f"embedded:{tmp_path / 'cli.db'}"
    env.pop("NEO4J_PASSWORD", None)
    return env


def run_cli(
    *args: str, env: dict[str, str], cwd: Path | None = None, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "citygraph", *args],
        env=env,
        cwd=cwd or ROOT,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
