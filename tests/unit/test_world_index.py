"""The on-disk world index answers as the in-memory world does: the same towns, ids and ranking."""

from __future__ import annotations

import sqlite3

import pytest

from citygraph.loaders.resolve.world import geonames_world, name_key, name_keys
from citygraph.loaders.resolve.worldindex import IndexedWorld, build, index_path, world

NAMES = [("Springfield", "US"), ("Portland", "US"), ("Nienburg (Saale)", "DE"), ("Kiev", "UA"), ("Brest", "FR"),
         ("Valencia", "ES"), ("San José", "CR"), ("eThekwini", "ZA"), ("成都", "CN"), ("Nowhere at all", "FR")]


@pytest.fixture(scope="module")
def both() -> tuple:
    return geonames_world(), world()


def test_the_world_a_load_opens_is_the_index_on_disk(both):
    _, indexed = both
    assert isinstance(indexed, IndexedWorld) and index_path().is_file()


@pytest.mark.parametrize(("name", "country"), NAMES)
def test_namesakes_anywhere_and_finds_match_the_in_memory_world(both, name, country):
    memory, indexed = both
    assert indexed.namesakes(name, country) == memory.namesakes(name, country)
    assert indexed.anywhere(name) == memory.anywhere(name)
    assert indexed.find(name, country) == memory.find(name, country)
    assert indexed.find(name, country, lat=39.8, lon=-89.6) == memory.find(name, country, lat=39.8, lon=-89.6)


def test_countries_towns_and_ids_match(both):
    memory, indexed = both
    assert indexed.countries() == memory.countries()
    assert indexed.towns_in("LU") == memory.towns_in("LU")
    assert indexed.by_id(2988507) == memory.by_id(2988507)  # Paris
    assert indexed.by_id(-1) is None


def test_an_index_built_in_memory_answers_the_same(both):
    memory, _ = both
    db = sqlite3.connect(":memory:")
    build(db, memory)
    assert IndexedWorld(db).namesakes("Springfield", "US") == memory.namesakes("Springfield", "US")


def test_an_index_built_by_workers_holds_the_same_rows(both):
    memory, _ = both
    alone, shared = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    build(alone, memory)
    build(shared, workers=2)  # each worker reads the GeoNames data itself
    for table in ("towns", "names"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4, 5, 6"
        assert alone.execute(query).fetchall() == shared.execute(query).fetchall(), table


def test_an_index_merged_from_the_workers_files_holds_the_same_rows_and_leaves_no_file(both, tmp_path):
    memory, _ = both
    alone, merged = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    build(alone, memory)
    build(merged, workers=2, parts=tmp_path)  # each worker writes its countries into a file of its own
    assert list(tmp_path.iterdir()) == []
    for table in ("towns", "names"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4, 5, 6"
        assert alone.execute(query).fetchall() == merged.execute(query).fetchall(), table
    assert IndexedWorld(merged).anywhere("Kiev") == memory.anywhere("Kiev")


@pytest.mark.parametrize("names", [
    ["Villeneuve-d'Ascq", "VILLENEUVE D ASCQ", "Łódź", "成都", "Київ", "", "St. John's"],
    ["two\nlines", "Köln"],  # a line break inside a name: keyed one by one, the same keys
    [],
])
def test_keys_made_together_are_each_names_own_key(names):
    assert name_keys(names) == [name_key(n) for n in names]


def test_every_geonames_name_gets_the_same_key_together_as_alone(both):
    memory, _ = both
    names = [n for code in ("CN", "DE", "IN", "RU", "GR") for t in memory.towns_in(code) for n in (t.name, *t.aliases)]
    assert len(names) > 10_000 and name_keys(names) == [name_key(n) for n in names]
