"""load --bulk: a new graph built with GRAPH.BULK equals one the writer makes, record for record."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from citygraph.core.errors import ConfigError
from citygraph.loaders.pipeline import load
from citygraph.loaders.write import bulk as bulk_module
from citygraph.store.bulkimport import BulkImporter
from citygraph.synth import generate, write
from tests.conftest import all_ended, run_cli, unknown_copy
from tests.conftest import graph_dump as dump


def _files(tmp_path: Path, links: int = 1500) -> list[Path]:
    return write(generate(300, links, seed=5), tmp_path / "csv")


def _marked_as_reached(store) -> bool:
    """The places marked ``party`` are those a party relationship reaches (the plan marks them as written)."""
    marked = store.read("MATCH (p:Place) WHERE p.party RETURN p.id AS id ORDER BY id")
    reached = store.read("MATCH (p:Place) WHERE (p)<-[:HAS_PARTNER|INVOLVES|SIGNED_BY]-() RETURN p.id AS id "
                         "ORDER BY id")
    return bool(marked) and marked == reached


def test_a_bulk_build_equals_the_writers_graph(two_graphs, tmp_path):
    writer, bulk = two_graphs
    files = _files(tmp_path)
    load(writer, files, bulk=False)
    result = load(bulk, files, bulk=True)
    assert result.bulk
    assert dump(bulk) == dump(writer)
    assert result.counters["nodes_created"] == len(dump(bulk)[0])
    assert bulk.read("MATCH ()-[r:REACHES]->() RETURN count(r) AS n")[0]["n"] > 0  # derived as a load leaves it
    assert _marked_as_reached(bulk)


def test_the_bundled_base_and_reports_build_the_same_in_bulk(two_graphs, tmp_path):
    writer, bulk = two_graphs
    report = unknown_copy(tmp_path, "world-cities-eu-china-pilots-2016.txt")
    load(writer, bulk=False), load(writer, [report])
    load(bulk, bulk=True)
    assert _marked_as_reached(bulk)
    load(bulk, [report])  # and a report on top, as a normal load
    assert dump(bulk) == dump(writer)


def test_commands_split_anywhere_still_name_the_right_nodes(two_graphs, tmp_path, monkeypatch):
    """Small commands: parts and tokens cut mid-way, relationships naming nodes sent in earlier commands."""
    writer, bulk = two_graphs
    files = _files(tmp_path, 600)
    monkeypatch.setattr(bulk_module, "COMMAND_BYTES", 2_000)
    load(writer, files, bulk=False)
    load(bulk, files, bulk=True)
    assert dump(bulk) == dump(writer)


@pytest.mark.parametrize("limit", [1, 200, 1_000, 10**9])
def test_relationships_fill_each_command_up_to_the_one_that_takes_it_over(monkeypatch, limit):
    """Relationships are added a slice at a time: each command ends with the relationship that takes it over
    COMMAND_BYTES, exactly where adding them one by one would end it, carried across tokens and parts."""
    monkeypatch.setattr(bulk_module, "COMMAND_BYTES", limit)
    builder = bulk_module.BulkBuilder.__new__(bulk_module.BulkBuilder)
    builder.command, builder.properties, sent = bulk_module._Command(), 0, []

    def flush():
        sent.append({t: [r[2] for r in records] for t, records in builder.command.rels.items()})
        builder.command = bulk_module._Command()

    def by_token(rels):  # a command holds its relationships token by token
        grouped = {}
        for token, props in rels:
            grouped.setdefault(token, []).append(props)
        return grouped

    builder.flush = flush
    parts = [{("INVOLVES", ("role",)): [(("Cooperation", f"c{i}"), ("Place", "p"), b"r" * (i % 7)) for i in range(90)],
              ("UNDER", ()): [(("Cooperation", f"c{i}"), ("Channel", "x"), b"") for i in range(40)]}
             for _ in range(3)]
    expected, size, current = [], 0, []
    for part in parts:
        for token, records in part.items():
            for rel in records:
                current.append((token, rel[2]))
                size += len(rel[2]) + 16
                if size > limit:
                    expected.append(current)
                    current, size = [], 0
        builder._add_rels(part)
    assert sent == [by_token(c) for c in expected]
    assert {t: [r[2] for r in records] for t, records in builder.command.rels.items()} == by_token(current)
    assert builder.command.size == size and builder.properties == 3 * 90


def test_a_normal_load_on_top_of_a_bulk_build_changes_nothing(two_graphs, tmp_path):
    _, bulk = two_graphs
    files = _files(tmp_path)
    load(bulk, files, bulk=True)
    before = dump(bulk)
    again = load(bulk, files)
    assert not again.bulk and again.counters["nodes_created"] == 0 and again.counters["relationships_created"] == 0
    assert dump(bulk) == before


def test_an_empty_graph_is_built_in_bulk_unless_told_otherwise(two_graphs, tmp_path):
    writer, bulk = two_graphs
    assert load(bulk).bulk and not load(bulk).bulk  # the second load goes on top, through the writer
    assert not load(writer, bulk=False).bulk
    assert dump(bulk) == dump(writer)


def test_bulk_refuses_a_graph_that_holds_anything(two_graphs, tmp_path):
    writer, _ = two_graphs
    load(writer)
    before = dump(writer)
    with pytest.raises(ConfigError, match="`bulk` builds a new graph.*holds"):
        load(writer, _files(tmp_path), bulk=True)
    assert dump(writer) == before
    with pytest.raises(ConfigError, match="nothing for `replace`"):
        load(writer, bulk=True, replace=True)


def test_a_failed_bulk_build_leaves_an_empty_graph(two_graphs, tmp_path, monkeypatch):
    """The engine refuses the second command: the first command's nodes are dropped with the new graph."""
    _, bulk = two_graphs
    sent = []
    real = BulkImporter.send

    def refuse_second(self, *args):
        sent.append(args[0])
        if len(sent) == 2:
            raise ConfigError("refused for the test")
        return real(self, *args)

    monkeypatch.setattr(bulk_module, "COMMAND_BYTES", 20_000)
    monkeypatch.setattr(BulkImporter, "send", refuse_second)
    with pytest.raises(ConfigError, match="refused for the test"):
        load(bulk, _files(tmp_path), bulk=True)
    assert bulk.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_load_bulk_on_the_command_line(cli_env, tmp_path):
    files = [str(p) for p in _files(tmp_path, 300)]
    out = run_cli("load", *files, "--bulk", "-f", "json", env=cli_env)
    assert out.returncode == 0, out.stderr
    rows = {r["what"]: r["count"] for r in json.loads(out.stdout)}
    assert rows["cooperations"] == 300 and rows["nodes created"] > 300
    again = run_cli("load", *files, "--bulk", env=cli_env)
    assert again.returncode == 2 and "--bulk builds a new graph" in again.stderr and "Traceback" not in again.stderr


def _csv_rows(folder: Path) -> dict[str, tuple[list[str], Counter]]:
    import csv

    from citygraph.model import vocabulary as V

    out = {}
    for path in sorted(folder.glob("*.csv")):
        if any(t in path.name for t in V.DERIVED_TYPES):  # derived in the database after the import
            continue
        with path.open(encoding="utf-8") as f:
            rows = list(csv.reader(f))
        keep = [i for i, name in enumerate(rows[0])  # the partner counts are derived with PARTNERS_WITH
                if name.split(":")[0] not in V.PARTNER_KEYS]
        if ":LABEL" in rows[0]:  # so is the Partnered label
            labels = rows[0].index(":LABEL")
            for row in rows[1:]:
                row[labels] = ";".join(x for x in row[labels].split(";") if x not in V.DERIVED_LABELS)
        out[path.name] = ([rows[0][i] for i in keep], Counter(tuple(row[i] for i in keep) for row in rows[1:]))
    return out


def test_neo4j_import_files_hold_what_a_load_writes(two_graphs, tmp_path):
    """The files `load --neo4j-import` writes from a plan equal `export -f csv` of the writer's graph."""
    from citygraph.loaders.pipeline import prepare
    from citygraph.loaders.write.neo4j_import import write_import
    from citygraph.views.export import read_graph, write_csv

    writer, _ = two_graphs
    files = _files(tmp_path, 800)
    load(writer, files, bulk=False)
    write_csv(*read_graph(writer), tmp_path / "exported")
    done = write_import(prepare(None, files).plan, tmp_path / "import", "cities")
    assert _csv_rows(tmp_path / "import") == _csv_rows(tmp_path / "exported")
    assert done.command.startswith("neo4j-admin database import full --nodes=") and done.command.endswith(" cities")
    assert all(f"={p.resolve()}" in done.command for p in done.paths)


def test_neo4j_import_on_the_command_line_opens_no_database(tmp_path):
    env = {**os.environ, "CITYGRAPH_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "unused"}
    out = run_cli("--database", "cities", "load", "--neo4j-import", str(tmp_path / "imp"), env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("neo4j-admin database import full") and out.stdout.strip().endswith("cities")
    assert "with the database stopped" in out.stderr and (tmp_path / "imp" / "nodes_Place.csv").exists()


def test_a_graph_emptied_by_hand_is_built_anew(two_graphs, tmp_path):
    """An emptied graph hands out its deleted node ids again, in its own order: the build begins a new graph,
    or relationships would join the wrong nodes."""
    writer, bulk = two_graphs
    files = _files(tmp_path, 400)
    bulk.write("UNWIND range(1, 500) AS i CREATE (:Place {id: 'junk-' + toString(i)})")
    bulk.write("MATCH (n) DETACH DELETE n")
    assert load(bulk, files).bulk
    load(writer, files, bulk=False)
    assert dump(bulk) == dump(writer)


def test_cooperations_sent_are_forgotten_unless_a_later_part_names_them(two_graphs, tmp_path, monkeypatch):
    """Parts of 5 cooperations and small commands: a cooperation's number is dropped once its part is sent,
    and kept for the agreements and events (the last part) that name it."""
    from citygraph.loaders.pipeline import commit, prepare

    writer, bulk = two_graphs
    builders = []

    class Spy(bulk_module.BulkBuilder):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            builders.append(self)

    monkeypatch.setattr(bulk_module, "BulkBuilder", Spy)
    monkeypatch.setattr(bulk_module, "COMMAND_BYTES", 3_000)
    load(writer, bulk=False)
    prepared = prepare(bulk)
    prepared.plan.chunk = 5
    commit(bulk, prepared, bulk=True)
    assert dump(bulk) == dump(writer)
    named_later = prepared.plan.named_later()
    kept = {i for label, i in builders[0].internal if label == "Cooperation"}
    assert named_later and kept == named_later & {c.id for c in prepared.plan.dataset.cooperations}


def _prepared_in_parts(store, files: list[Path], items_per_part: int):
    from citygraph.loaders.pipeline import prepare

    prepared = prepare(store, files)
    prepared.plan.chunk = items_per_part
    return prepared.plan


def test_parts_made_in_worker_processes_build_the_writers_graph(two_graphs, tmp_path, monkeypatch,
                                                                started_workers):
    """Two workers, parts of 40 items and small commands: parts come back in order, a document's Source node
    that both workers state is created once, and the graph equals the writer's."""
    writer, bulk = two_graphs
    files = _files(tmp_path, 900)
    monkeypatch.setattr(bulk_module, "PARALLEL_ITEMS", 1)
    monkeypatch.setattr(bulk_module, "COMMAND_BYTES", 20_000)
    load(writer, files, bulk=False)
    report = bulk_module.bulk_build(bulk, _prepared_in_parts(bulk, files, 40), workers=2)
    assert len(started_workers) == 2 and all_ended(started_workers)
    assert dump(bulk) == dump(writer)
    assert report.counters["nodes_created"] == len(dump(bulk)[0])


def test_a_worker_killed_mid_build_fails_the_load_and_leaves_an_empty_graph(two_graphs, tmp_path, monkeypatch):
    """A worker the system kills (out of memory, say): one clear error, the new graph dropped, no worker left."""
    from citygraph.core.errors import ResourceExhausted
    from citygraph.loaders.runtime import workers

    _, bulk = two_graphs
    files = _files(tmp_path, 600)
    started = []
    real_answer = workers._Worker.answer

    def killed_on_the_third_answer(self):
        started.append(self.process.pid)
        if len(started) == 3:
            self.process.kill()
        return real_answer(self)

    monkeypatch.setattr(workers._Worker, "answer", killed_on_the_third_answer)
    monkeypatch.setattr(bulk_module, "PARALLEL_ITEMS", 1)
    with pytest.raises(ResourceExhausted, match=r"was killed by signal 9 \(out of memory\?\)"):
        bulk_module.bulk_build(bulk, _prepared_in_parts(bulk, files, 50), workers=2)
    assert bulk.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    assert all_ended(started)


def test_an_error_in_a_worker_is_raised_with_the_workers_traceback(two_graphs, tmp_path):
    from citygraph.loaders.plan import PartContext
    from citygraph.loaders.runtime.workers import WorkerTraceback, in_workers
    from citygraph.loaders.write.bulkparts import PartMaker

    _, bulk = two_graphs
    the_plan = _prepared_in_parts(bulk, _files(tmp_path, 200), 50)
    blind = PartContext({}, {}, the_plan.context.documents, the_plan.context.locators)  # knows no id's label
    with pytest.raises(KeyError) as caught:
        list(in_workers(PartMaker(blind), the_plan.recipes(), 2))
    assert isinstance(caught.value.__cause__, WorkerTraceback)
    assert "in a worker process" in str(caught.value.__cause__) and "plan.py" in str(caught.value.__cause__)
