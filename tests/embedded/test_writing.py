"""One way to write: every write path leaves the derived REACHES, PARTNERS_WITH and partner counts equal to a
fresh rebuild, and saves."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from citygraph.core.config import resolve
from citygraph.loaders import load
from citygraph.store import Store, open_store
from citygraph.upkeep import partners, reach
from citygraph.upkeep.writing import writing
from tests.conftest import run_cli

REACHES = "MATCH (a)-[r:REACHES]->(b) RETURN a.id AS a, r.side AS side, b.id AS b ORDER BY a, side, b"
PARTNERS = "MATCH (a)-[:PARTNERS_WITH]->(b) RETURN a.id AS a, b.id AS b ORDER BY a, b"
COUNTS = ("MATCH (p:Place) WHERE p.partner_counts IS NOT NULL "
          "RETURN p.id AS id, p.partner_blocs AS blocs, p.partner_counts AS counts, p.partner_names AS names, "
          "'Partnered' IN labels(p) AS partnered ORDER BY id")


def _reaches(store: Store) -> list[dict]:
    return store.read(REACHES)


def _derived(store: Store) -> tuple[list[dict], list[dict], list[dict]]:
    """REACHES, PARTNERS_WITH and the partner counts, names and label (each place's blocs in a fixed order)."""
    counts = [{**r, "pairs": sorted(zip(r.pop("blocs"), r.pop("counts"), strict=True))} for r in store.read(COUNTS)]
    return _reaches(store), store.read(PARTNERS), counts


def _as_rebuilt(store: Store) -> tuple[list[dict], list[dict], list[dict]]:
    """What a rebuild from the graph as it stands gives."""
    reach.refresh(store)
    partners.refresh(store)
    return _derived(store)


@pytest.mark.parametrize("bulk", [False, True], ids=["writer", "bulk"])
def test_a_load_leaves_reaches_as_a_rebuild_gives_it(fresh, bulk):
    load(fresh, bulk=bulk)
    written = _derived(fresh)
    assert all(written) and written == _as_rebuilt(fresh)


def test_a_replace_load_refreshes_reaches_once_the_old_version_is_retracted(fresh, tmp_path: Path):
    data = {"documents": [{"id": "twins", "title": "Twins"}],
            "places": [{"id": p, "name": p.title(), "kind": "City", "country": c}
                       for p, c in (("lyon", "FR"), ("wuhan", "CN"), ("porto", "PT"))],
            "pilots": [{"id": "p1", "programme": "EU-China", "number": 1, "name": "Lyon, Porto – Wuhan",
                        "europe": ["lyon", "porto"], "partner": ["wuhan"], "sources": ["twins:1"]}]}
    path = tmp_path / "twins.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    load(fresh, [path])
    assert {r["a"] for r in _reaches(fresh) if r["b"] == "wuhan"} == {"lyon", "porto"}
    data["pilots"][0]["europe"] = ["lyon"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    load(fresh, [path], replace=True)
    assert {r["a"] for r in _reaches(fresh) if r["b"] == "wuhan"} == {"lyon"}
    assert _derived(fresh) == _as_rebuilt(fresh)
    assert {(r["a"], r["b"]) for r in fresh.read(PARTNERS)} == {("lyon", "wuhan")}


def test_cypher_write_and_reset_refresh_reaches_and_save(tmp_path: Path, cli_env):
    path = tmp_path / "cli.db"
    assert run_cli("load", env=cli_env).returncode == 0
    cut = ("MATCH (p:PilotProject)-[h:HAS_PARTNER {side: 'Europe'}]->(:Place {id: 'barcelona'}) "
           "WHERE (p)-[:HAS_PARTNER]->(:Place {id: 'chengdu'}) DELETE h")
    done = run_cli("cypher", cut, "--write", env=cli_env)
    assert done.returncode == 0, done.stderr
    with open_store(settings=resolve(f"embedded:{path}", None)) as store:  # what was saved
        after = _derived(store)
        assert after == _as_rebuilt(store)
        assert not any(r["a"] == "barcelona" and r["b"] == "chengdu" for r in after[0])
    assert run_cli("reset", "--yes", env=cli_env).returncode == 0
    with open_store(settings=resolve(f"embedded:{path}", None)) as store:
        assert store.is_empty() and not any(_derived(store))


def test_writes_nest_and_a_failed_write_refreshes_nothing(fresh):
    load(fresh)
    before = _reaches(fresh)
    with pytest.raises(RuntimeError), writing(fresh, exclusive=True):
        fresh.write("MATCH ()-[r:REACHES]->() DELETE r")
        raise RuntimeError("stop")
    assert not _reaches(fresh)  # the failed block's own change stays; nothing was rebuilt on top of it
    with writing(fresh), writing(fresh):  # the inner one takes no second lock, the outer refreshes
        assert fresh.writes_open
    assert not fresh.writes_open and _reaches(fresh) == before
