"""``load --replace`` retracts what earlier loads of the same files stated, whichever documents they cite.

A file that defines its documents (a report, a pair list) is retracted by those documents. A file that cites
documents it does not define (a ``cooperations.csv`` beside a ``documents.csv``, a YAML citing ``notes:1``) is
retracted by its name: every citation records the files that stated it. Before this, both were silent no-ops.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citygraph.analysis.stats import graph_stats
from citygraph.loaders.pipeline import load
from tests.conftest import run_cli

PLACES = ("id,name,kind,country\nlyon,Lyon,City,FR\nwuhan,Wuhan,City,CN\nturin,Turin,City,IT\n"
          "kobe,Kobe,City,JP\n")
COOPERATIONS = ("id,title,channel,involves,sources\n"
                "c1,Lyon and Wuhan,university,lyon;wuhan,rep:3\n"
                "c2,Turin and Kobe,port,turin;kobe,rep:4\n"
                "c3,Lyon and Kobe,tourism,lyon;kobe,rep:5\n")


def _set(folder: Path) -> list[Path]:
    """A canonical CSV set: the documents in one file, the cooperations citing them in another."""
    folder.mkdir(exist_ok=True)
    files = {"documents.csv": "id,title\nrep,Field report\n", "places.csv": PLACES,
             "cooperations.csv": COOPERATIONS}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]


def _cooperations(store) -> dict[str, list[str]]:
    rows = store.read("MATCH (c:Cooperation) OPTIONAL MATCH (c)-[ci:CITED_IN]->(:Source) "
                      "RETURN c.id AS id, collect(ci.source) AS sources")
    return {r["id"]: sorted(r["sources"]) for r in rows}


def _partners(store, place: str) -> set[str]:
    rows = store.read("MATCH (:Place {id: $id})-[:COOPERATES_WITH]-(p) RETURN DISTINCT p.id AS id", {"id": place})
    return {r["id"] for r in rows}


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk-build", "writer"])
def test_a_file_citing_documents_it_does_not_define_is_retracted_by_its_name(fresh, tmp_path, bulk):
    """`load --replace cooperations.csv` without `documents.csv` retracted nothing: the dropped cooperation
    stayed. Now the citations cooperations.csv made go, and what the new version states comes back."""
    load(fresh, _set(tmp_path), bulk=bulk)
    assert set(_cooperations(fresh)) == {"c1", "c2", "c3"} and "kobe" in _partners(fresh, "lyon")
    cooperations = tmp_path / "cooperations.csv"
    cooperations.write_text(COOPERATIONS.replace("c3,Lyon and Kobe,tourism,lyon;kobe,rep:5\n", ""), "utf-8")

    done = load(fresh, [cooperations], replace=True)
    assert done.retraction.documents == [] and done.retraction.files == ["cooperations.csv"]
    assert _cooperations(fresh) == {"c1": ["rep:3"], "c2": ["rep:4"]}
    assert _partners(fresh, "lyon") == {"wuhan"}
    assert fresh.read("MATCH (s:Source) RETURN s.id AS id, s.title AS title") == [
        {"id": "rep", "title": None}]  # written again by the new version, which does not define it
    census = graph_stats(fresh)
    again = load(fresh, [cooperations], replace=True)
    assert graph_stats(fresh) == census and again.retraction.nodes == 0


def test_a_corrected_yaml_citing_notes_loses_the_partner_it_removed(fresh, tmp_path):
    """The issue's case: a YAML of cooperations citing `notes:1`, corrected and loaded with --replace, kept
    the partner the correction removed (`retracted 0`, exit 0)."""
    places = tmp_path / "places.csv"
    places.write_text(PLACES, encoding="utf-8")
    coops = tmp_path / "coops.yaml"
    first = ("cooperations:\n  - {id: y1, title: Lyon Turin Kobe, channel: tourism, involves: [lyon, turin, kobe],"
             " sources: ['notes:1']}\n")
    coops.write_text(first, encoding="utf-8")
    load(fresh, [places, coops])
    assert _partners(fresh, "lyon") == {"turin", "kobe"}
    coops.write_text(first.replace(", kobe]", "]"), encoding="utf-8")

    done = load(fresh, [coops], replace=True)
    assert done.retraction.files == ["coops.yaml"] and done.retraction.relationships > 0
    assert _partners(fresh, "lyon") == {"turin"} and _partners(fresh, "kobe") == set()
    involved = fresh.read("MATCH (:Cooperation {id: 'y1'})-[r:INVOLVES]->(p) RETURN p.id AS id, r.sources AS s "
                          "ORDER BY id")
    assert involved == [{"id": "lyon", "s": ["notes:1"]}, {"id": "turin", "s": ["notes:1"]}]


def test_a_citation_another_file_also_made_stays(fresh, tmp_path):
    """Two files state the same cooperation citing the same line; replacing one with a version that drops it
    leaves the cooperation, cited, for the other file still states it."""
    places = tmp_path / "places.csv"
    places.write_text(PLACES, encoding="utf-8")
    coop = ("  - {id: y1, title: Lyon and Wuhan, channel: university, involves: [lyon, wuhan], "
            "sources: ['notes:1']}\n")
    other = ("  - {id: y2, title: Turin and Kobe, channel: port, involves: [turin, kobe], sources: ['notes:2']}\n")
    (tmp_path / "a.yaml").write_text("cooperations:\n" + coop + other, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("cooperations:\n" + coop, encoding="utf-8")
    load(fresh, [places, tmp_path / "a.yaml"])
    load(fresh, [tmp_path / "b.yaml"])
    files = fresh.read("MATCH (:Cooperation {id: 'y1'})-[ci:CITED_IN]->() RETURN ci.files AS files")
    assert files == [{"files": ["a.yaml", "b.yaml"]}]

    (tmp_path / "a.yaml").write_text("cooperations: []\n", encoding="utf-8")
    done = load(fresh, [tmp_path / "a.yaml"], replace=True)
    assert done.retraction.nodes == 3  # y2, and Turin and Kobe: places.csv gives them no source to keep them
    assert _cooperations(fresh) == {"y1": ["notes:1"]} and _partners(fresh, "lyon") == {"wuhan"}
    files = fresh.read("MATCH (:Cooperation {id: 'y1'})-[ci:CITED_IN]->() RETURN ci.files AS files")
    assert files == [{"files": ["b.yaml"]}]


def test_dry_run_lists_what_replace_would_retract_and_writes_nothing(tmp_path, cli_env):
    paths = [str(p) for p in _set(tmp_path)]
    assert run_cli("load", *paths, env=cli_env).returncode == 0
    census = run_cli("stats", "-f", "json", env=cli_env).stdout
    (tmp_path / "cooperations.csv").write_text(COOPERATIONS.replace("c2,Turin and Kobe,port,turin;kobe,rep:4\n", ""),
                                               "utf-8")

    out = run_cli("load", paths[2], "--replace", "--dry-run", "-f", "json", env=cli_env)
    assert out.returncode == 0, out.stderr
    assert "would retract Cooperation c2" in out.stderr and "nothing written" in out.stderr
    rows = json.loads(out.stdout)
    assert {"what": "would retract Cooperation", "count": 1} in rows
    assert {"what": "would load cooperations", "count": 2} in rows
    assert run_cli("stats", "-f", "json", env=cli_env).stdout == census

    done = run_cli("load", paths[2], "--replace", "-f", "json", env=cli_env)
    assert done.returncode == 0 and "replaced the citations of cooperations.csv" in done.stderr, done.stderr
    query = run_cli("cypher", "MATCH (c:Cooperation) RETURN c.id AS id ORDER BY id", "-f", "json", env=cli_env)
    assert [r["id"] for r in json.loads(query.stdout)] == ["c1", "c3"]
    again = run_cli("load", paths[2], "--replace", "-f", "json", env=cli_env)  # retracts, then restates, c1 and c3
    assert {"what": "retracted nodes", "count": 0} in json.loads(again.stdout)
    assert run_cli("load", paths[2], "--replace", "--dry-run", "-f", "json", env=cli_env).stdout.count(
        "would retract") == 1  # nothing would go: the summary says so
