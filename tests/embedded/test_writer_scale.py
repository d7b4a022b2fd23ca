"""What the writer does to stay fast at scale, held to the same graph as the plain path.

Many cooperations between the same two parties make many parallel
COOPERATES_WITH shortcuts; on FalkorDB a new cooperation's shortcuts are
created with it in one query (a MERGE would scan them all), and only the
shortcuts of cooperations that existed already are merged. Batches go out on a
background thread, in order, and the first failure stops the rest.
"""

from __future__ import annotations

import pytest
import yaml

from citygraph.analysis.stats import graph_stats
from citygraph.core.errors import QueryError
from citygraph.loaders.formats.structured import read_mapping_file
from citygraph.loaders.plan import plan
from citygraph.loaders.write.sender import Sender
from citygraph.loaders.write.writer import write_dataset
from citygraph.model.statements import cooperation_statement

PAIRS = 300


def _many_between_two(tmp_path, channel_of_first: str = "port"):
    data = {
        "places": [{"id": "lyon-x", "name": "Lyon X", "kind": "City", "country": "FR"},
                   {"id": "nantes-x", "name": "Nantes X", "kind": "City", "country": "FR"},
                   {"id": "wuhan-x", "name": "Wuhan X", "kind": "City", "country": "CN"}],
        "cooperations": [{"id": f"coop-{i}", "title": f"Cooperation {i}", "channel": "business",
                          "involves": ["lyon-x", "wuhan-x"], "sources": [f"notes:{i + 1}"]} for i in range(PAIRS)],
    }
    data["cooperations"][0]["channel"] = channel_of_first
    # Three partners: three shortcuts (one within Europe) that share one cooperation key.
    data["cooperations"].append({"id": "coop-three", "title": "Three cities", "channel": "university",
                                 "involves": ["lyon-x", "nantes-x", "wuhan-x"], "sources": ["notes:999"]})
    path = tmp_path / f"many-{channel_of_first}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return read_mapping_file(path)


def _shortcuts(store):
    return store.read("MATCH (a)-[r:COOPERATES_WITH]->(b) RETURN a.id AS a, b.id AS b, r.cooperation AS c, "
                      "r.channel AS channel, r.cross_bloc AS cross ORDER BY c, a, b")


def test_parallel_shortcuts_are_one_per_cooperation_and_idempotent(fresh, tmp_path):
    assert fresh.serial_writes  # FalkorDB: shortcuts go with their cooperation
    dataset = _many_between_two(tmp_path)
    sent = [q for part in plan(dataset, fresh).parts() for q, _ in part.statements(serial=True)]
    assert cooperation_statement() in sent
    assert not any("COOPERATES_WITH" in q for q in sent if q != cooperation_statement())  # no separate MERGE
    first = write_dataset(fresh, _many_between_two(tmp_path))
    rows = _shortcuts(fresh)
    assert len(rows) == PAIRS + 3
    assert len({(r["a"], r["b"], r["c"]) for r in rows}) == PAIRS + 3
    assert {(r["a"], r["b"], r["cross"]) for r in rows if r["c"] == "coop-three"} == {
        ("lyon-x", "nantes-x", False),
        ("lyon-x", "wuhan-x", True),
        ("nantes-x", "wuhan-x", True),
    }
    assert first.counters["relationships_created"] > PAIRS
    before = graph_stats(fresh)

    # Again, with one cooperation's channel changed: nothing new, the shortcut's property follows.
    again = write_dataset(fresh, _many_between_two(tmp_path, channel_of_first="tourism"))
    assert again.counters["relationships_created"] == 0 and again.counters["nodes_created"] == 0
    assert graph_stats(fresh) == before
    assert next(r for r in _shortcuts(fresh) if r["c"] == "coop-0")["channel"] == "tourism"


def test_a_new_party_of_a_known_cooperation_gets_its_shortcut(fresh, tmp_path):
    """A later edition names another partner of a cooperation already in the graph: merged, not duplicated."""
    write_dataset(fresh, _many_between_two(tmp_path))
    path = tmp_path / "later.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "cooperations": [
                    {
                        "id": "coop-1",
                        "title": "Cooperation 1",
                        "channel": "business",
                        "involves": ["lyon-x", "nantes-x", "wuhan-x"],
                        "sources": ["notes-2:5"],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    write_dataset(fresh, read_mapping_file(path))
    assert {(r["a"], r["b"]) for r in _shortcuts(fresh) if r["c"] == "coop-1"} == {
        ("lyon-x", "nantes-x"),
        ("lyon-x", "wuhan-x"),
        ("nantes-x", "wuhan-x"),
    }
    assert len(_shortcuts(fresh)) == PAIRS + 5


def test_serial_and_merge_statements_make_the_same_graph(fresh, tmp_path, monkeypatch):
    write_dataset(fresh, _many_between_two(tmp_path))
    guarded, guarded_rows = graph_stats(fresh), _shortcuts(fresh)
    fresh.clear()
    monkeypatch.setattr(fresh, "serial_writes", False)  # the MERGE path every engine can run
    write_dataset(fresh, _many_between_two(tmp_path))
    write_dataset(fresh, _many_between_two(tmp_path))
    assert graph_stats(fresh) == guarded and _shortcuts(fresh) == guarded_rows


def test_sender_keeps_order_and_counts(fresh):
    nodes = [{"id": f"p{i}"} for i in range(10)]
    with Sender(fresh) as sender:
        sender.send("UNWIND $rows AS row CREATE (:Place {id: row.id})", nodes[:5])
        sender.send("UNWIND $rows AS row CREATE (:Place {id: row.id})", nodes[5:])
        # Needs both batches before it: order is kept.
        sender.send(
            "UNWIND $rows AS row MATCH (a:Place {id: row.a}), (b:Place {id: row.b}) CREATE (a)-[:PART_OF]->(b)",
            [{"a": f"p{i}", "b": f"p{i + 1}"} for i in range(9)],
        )
        counters = sender.close()
    assert counters["nodes_created"] == 10 and counters["relationships_created"] == 9
    assert fresh.read("MATCH ()-[r:PART_OF]->() RETURN count(r) AS n") == [{"n": 9}]


def test_sender_stops_at_the_first_failure(fresh):
    done: list[int] = []
    with pytest.raises(QueryError), Sender(fresh) as sender:
        sender.send("UNWIND $rows AS row CREATE (:Place {id: row.id})", [{"id": "before"}], done.append)
        sender.send("UNWIND $rows AS row CREATE (:Place {id: row.id}", [{"id": "broken"}], done.append)
        sender.send("UNWIND $rows AS row CREATE (:Place {id: row.id})", [{"id": "after"}], done.append)
        sender.close()
    assert done == [1]
    assert fresh.read("MATCH (p:Place) RETURN p.id AS id") == [{"id": "before"}]


def test_sender_sends_nothing_more_when_the_caller_fails(fresh):
    with pytest.raises(RuntimeError), Sender(fresh) as sender:
        sender.send("UNWIND $rows AS row CREATE (:Place {id: row.id})", [{"id": "sent"}])
        raise RuntimeError("the caller failed while making rows")
    ids = {r["id"] for r in fresh.read("MATCH (p:Place) RETURN p.id AS id")}
    assert ids <= {"sent"}  # the batch in flight may land; nothing is queued after the failure
