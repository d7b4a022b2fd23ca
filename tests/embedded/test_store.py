"""Store conformance: the same tests on every engine (see conftest.store)."""

from __future__ import annotations

import pytest

from citygraph.analysis.stats import graph_stats
from citygraph.core.errors import QueryError, ReadOnlyViolation
from citygraph.loaders.write.sender import Sender
from citygraph.store.base import Store

VALUES = {
    "name": "Málaga",
    "company": "Rambøll",
    "chinese": "汕头",
    "quote": "it's \"quoted\" `back` })-[ // {x}",
    "newline": "line one\nline two",
    "aliases": ["Chendgu", "成都"],
    "count": 42,
    "ratio": 0.125,
    "flag": True,
    "off": False,
}


def test_round_trip_of_values(store: Store):
    store.write("CREATE (n:Place {id: $id}) SET n += $props", {"id": "malaga", "props": VALUES})
    rows = store.read("MATCH (n:Place {id: $id}) RETURN n, n.name AS name, n.aliases AS aliases, "
                      "n.count AS count, n.ratio AS ratio, n.flag AS flag, n.missing AS missing", {"id": "malaga"})
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "Málaga"
    assert row["aliases"] == ["Chendgu", "成都"]
    assert row["count"] == 42 and isinstance(row["count"], int)
    assert row["ratio"] == 0.125
    assert row["flag"] is True
    assert row["missing"] is None
    node = row["n"]
    assert node["labels"] == ["Place"]
    assert {k: node["properties"][k] for k in VALUES} == VALUES


def test_maps_lists_and_nulls_come_back_plain(store: Store):
    rows = store.read("RETURN {a: 1, b: [1, 2.5, 'x'], c: null, d: {e: true}} AS m, [] AS empty, null AS nothing")
    assert rows == [{"m": {"a": 1, "b": [1, 2.5, "x"], "c": None, "d": {"e": True}}, "empty": [], "nothing": None}]


def test_relationships_and_paths_are_plain(store: Store):
    store.write("CREATE (:Place {id: 'a', name: 'A'})-[:PART_OF {since: 2016}]->(:Place {id: 'b', name: 'B'})")
    rows = store.read("MATCH p = (a:Place {id: 'a'})-[r:PART_OF]->(b) RETURN a, r, b, p")
    a, r, b = rows[0]["a"], rows[0]["r"], rows[0]["b"]
    assert {k: r[k] for k in ("type", "properties")} == {"type": "PART_OF", "properties": {"since": 2016}}
    assert (r["start"], r["end"]) == (a["element_id"], b["element_id"])
    path = rows[0]["p"]
    assert [n["properties"]["id"] for n in path["nodes"]] == ["a", "b"]
    assert [r["type"] for r in path["relationships"]] == ["PART_OF"]


def _batched(store: Store, query: str, rows: list[dict], batch_size: int = 1000, done=None) -> dict[str, int]:
    """``query`` once per batch of ``rows`` as ``$rows``, through the writer's own sender."""
    with Sender(store) as sender:
        for start in range(0, len(rows), batch_size):
            sender.send(query, rows[start:start + batch_size], done)
        return sender.close()


def test_batched_write_of_10000_rows(store: Store):
    store.ensure_schema([("Place", "id")])
    rows = [{"id": f"p{i}", "name": f"Place {i}", "n": i} for i in range(10_000)]
    seen: list[int] = []
    counters = _batched(store, "UNWIND $rows AS row MERGE (n:Place {id: row.id}) SET n.name = row.name, n.n = row.n",
                        rows, batch_size=1500, done=seen.append)
    assert counters["nodes_created"] == 10_000
    assert sum(seen) == 10_000 and len(seen) == 7
    assert store.read("MATCH (n:Place) RETURN count(n) AS c, sum(n.n) AS s") == [{"c": 10_000, "s": sum(range(10_000))}]


def test_merge_is_idempotent(store: Store):
    store.ensure_schema([("Place", "id")])
    query = "UNWIND $rows AS row MERGE (n:Place {id: row.id}) SET n.name = row.name"
    rows = [{"id": "chengdu", "name": "Chengdu"}, {"id": "shantou", "name": "Shantou"}]
    first = _batched(store, query, rows)
    before = graph_stats(store)
    second = _batched(store, query, rows)
    assert first["nodes_created"] == 2 and second["nodes_created"] == 0
    assert graph_stats(store) == before


def test_uniqueness_constraint_refuses_duplicates(store: Store):
    store.ensure_schema([("Place", "id")])
    store.ensure_schema([("Place", "id")])  # twice: still fine
    store.write("CREATE (:Place {id: 'dup'})")
    with pytest.raises(QueryError):
        store.write("CREATE (:Place {id: 'dup'})")
    assert store.read("MATCH (n:Place {id: 'dup'}) RETURN count(n) AS c") == [{"c": 1}]


def test_read_refuses_writes_and_leaves_graph_unchanged(store: Store):
    with pytest.raises(ReadOnlyViolation):
        store.read("CREATE (n:Place {id: 'sneaky'})")
    with pytest.raises(ReadOnlyViolation):
        store.read("MERGE (n:Place {id: 'sneaky'}) SET n.x = 1")
    assert store.read("MATCH (n) RETURN count(n) AS c") == [{"c": 0}]


def test_syntax_error_names_the_position(store: Store):
    with pytest.raises(QueryError) as info:
        store.read("MATCH (n RETURN n")
    message = str(info.value)
    assert "line: 1" in message or "line 1" in message
    assert "column" in message


def test_parameters_are_data_not_code(store: Store):
    hostile = "x'}) DETACH DELETE n //"
    store.write("CREATE (:Place {id: 'safe', name: $name})", {"name": hostile})
    assert store.read("MATCH (n:Place {name: $name}) RETURN n.id AS id", {"name": hostile}) == [{"id": "safe"}]


def test_clear_empties_the_graph(store: Store):
    store.write("CREATE (:Place {id: 'a'})-[:PART_OF]->(:Place {id: 'b'})")
    store.clear()
    assert graph_stats(store) == []


def test_clear_never_leaves_the_graph_missing_between_turns(embedded_store: Store, monkeypatch):
    """A reader takes its turn between any two of a writer's: were the graph dropped in one turn and begun in
    the next, a read there failed with "Invalid graph operation on empty key" (a render beside a reset, in the
    soak). Each of clear's turns must end with the graph there, as any reader would find it."""
    from contextlib import contextmanager

    store = embedded_store
    store.write("CREATE (:Place {id: 'a'})")
    turn, found = store.turns.turn, []

    @contextmanager
    def watched():
        with turn():
            yield
            found.append(store.graph_exists())

    monkeypatch.setattr(store.turns, "turn", watched)
    store.clear()
    monkeypatch.undo()
    assert found and all(found)
    assert store.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
