"""A load whose sections are packed every few items writes the graph a load holding models writes.

With packing every 2 items, every pass over a section (gazetteer entities
brought in, citations added, duplicates merged, references checked, parts
made) reads items back from packed chunks, so a change made to a copy and
not stored would show here as a missing property, source or node.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citygraph.loaders.dataset import compact
from citygraph.loaders.options import ReadOptions
from citygraph.loaders.pipeline import load
from citygraph.synth import generate, write
from tests.conftest import graph_dump, unknown_copy
from tests.fixtures.lists.messy import COLUMNS, make_list

FIXTURE_REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def _restated(tmp_path: Path) -> list[Path]:
    """Generated files, and a second document restating a few of their cooperations (a later edition)."""
    files = write(generate(120, 400, seed=3), tmp_path / "csv")
    coops = next(f for f in files if f.name == "cooperations.csv").read_text(encoding="utf-8").splitlines()
    again = tmp_path / "again" / "cooperations.csv"
    again.parent.mkdir()
    rows = [line.rsplit(",", 1)[0] + ",later-edition:1" for line in coops[1:40:3]]
    again.write_text("\n".join([coops[0], *rows]) + "\n", encoding="utf-8")
    docs = tmp_path / "again" / "documents.csv"
    docs.write_text("id,title\nlater-edition,A later edition\n", encoding="utf-8")
    return [*files, docs, again]


def _load_all(store, tmp_path: Path) -> None:
    tmp_path.mkdir()
    load(store)
    load(store, [unknown_copy(tmp_path, "world-cities-eu-china-pilots-2016.txt"),
                 *sorted(FIXTURE_REPORTS.glob("*.txt"))])
    load(store, [make_list(600, 5).write(tmp_path / "twins.csv", delimiter=";")],
         options=ReadOptions(columns=COLUMNS), on_error="skip", max_skipped=50)
    load(store, _restated(tmp_path))


def test_packed_sections_load_the_same_graph(two_graphs, tmp_path, monkeypatch):
    models, packed = two_graphs
    _load_all(models, tmp_path / "models")
    monkeypatch.setattr(compact, "CHUNK", 2)
    _load_all(packed, tmp_path / "packed")
    nodes, rels = graph_dump(packed)
    assert (nodes, rels) == graph_dump(models)
    cited = packed.read("MATCH (:Cooperation {id: 'gen-coop-0'})-[:CITED_IN]->(s:Source) RETURN s.id AS s")
    assert sorted(r["s"] for r in cited) == ["generated-s3", "later-edition"]  # both editions, one node


@pytest.mark.parametrize("chunk", [1, 3])
def test_a_conflicting_redefinition_is_found_whatever_the_packing(tmp_path, monkeypatch, chunk, fresh):
    from citygraph.core.errors import InputError

    monkeypatch.setattr(compact, "CHUNK", chunk)
    places = tmp_path / "places.csv"
    places.write_text("id,name,kind,country\nx,X,city,DE\ny,Y,city,FR\nz,Z,city,IT\nx,X,city,AT\n",
                      encoding="utf-8")
    with pytest.raises(InputError, match=r"place 'x' is defined again with a different country"):
        load(fresh, [places])
    assert fresh.read("MATCH (n:Place {id: 'x'}) RETURN count(n) AS n")[0]["n"] == 0
