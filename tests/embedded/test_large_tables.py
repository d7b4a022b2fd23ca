"""Large canonical tables are checked in worker processes: the same items and rejected rows, in file order."""

from __future__ import annotations

from pathlib import Path

import pytest

from citygraph.core.errors import InputError
from citygraph.loaders.formats import structured
from citygraph.loaders.read import read_paths
from citygraph.synth import generate, write
from tests.conftest import all_ended

BAD_ROWS = [
    "bad-1,,A title,no-such-channel,,ongoing,,gen-place-1;gen-place-2,generated-s1:1",
    ",,No id,business,,ongoing,,gen-place-1;gen-place-2,generated-s1:1",
    'bad-3,,"Write to someone@example.org",business,,ongoing,,gen-place-1;gen-place-2,generated-s1:1',
    "bad-4,,Too few cells",
]


def _messy_tables(tmp_path: Path) -> list[Path]:
    """Generated tables with bad rows spread through the cooperations (one of them the last row)."""
    files = write(generate(60, 500, seed=11), tmp_path / "csv")
    coops = next(f for f in files if f.name == "cooperations.csv")
    lines = coops.read_text(encoding="utf-8").splitlines()
    for at, bad in zip((40, 130, 260, len(lines)), BAD_ROWS, strict=True):
        lines.insert(at, bad)
    coops.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


@pytest.fixture
def in_workers(monkeypatch, started_workers):
    """Every table counts as large, checked in batches of 37 rows by two workers (whose pids it lists)."""
    monkeypatch.setattr(structured, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(structured, "TABLE_BATCH", 37)
    monkeypatch.setattr(structured, "default_workers", lambda: 2)
    return started_workers


def _dataset_and_rejects(files: list[Path]):
    loaded = read_paths(files)
    d = loaded.dataset
    sections = {name: [item.model_dump() for item in getattr(d, name)]
                for name in ("places", "organisations", "pilots", "cooperations")}
    return sections, [(r.where, r.reason, r.values) for r in loaded.rejected]


def test_a_table_checked_in_workers_gives_what_one_process_gives(tmp_path, monkeypatch, in_workers):
    files = _messy_tables(tmp_path)
    with monkeypatch.context() as serial:
        serial.setattr(structured, "PARALLEL_BYTES", 10**12)
        expected = _dataset_and_rejects(files)
    assert not in_workers
    got = _dataset_and_rejects(files)
    assert len(in_workers) == 2 * len(files)  # two for each table
    assert got == expected
    wheres = [where for where, _, _ in got[1]]
    assert len(wheres) == 4 and wheres == sorted(wheres, key=lambda w: int(w.rsplit(":", 1)[1]))
    assert len(got[0]["cooperations"]) == 500


def test_without_a_rejects_list_the_first_bad_row_raises(tmp_path, in_workers):
    files = _messy_tables(tmp_path)
    coops = next(f for f in files if f.name == "cooperations.csv")
    with pytest.raises(InputError, match=r"cooperations.csv:41: .*channel"):
        structured.read_canonical_csv(coops)
    assert in_workers and all_ended(in_workers)
