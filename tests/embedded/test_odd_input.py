"""Odd and hostile input that once ended in a traceback or ran unbounded: each ends in a clear message and an
exit code of the table, within bounded time and memory. docs/reliability.md lists these tests by name."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from citygraph.core.errors import ConfigError, InputError, QueryError, UnknownQuery
from citygraph.loaders.formats.structured import read_mapping_file
from citygraph.loaders.gazetteers import bundled
from citygraph.loaders.report.parser import parse_report
from citygraph.query import catalog
from citygraph.query.params import parse_param_map, parse_params
from citygraph.store.guard import MAX_NESTING, nesting
from tests.conftest import run_cli

ODD = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "odd").glob("*.txt"))


@pytest.mark.parametrize("path", ODD, ids=lambda p: p.stem)
def test_odd_reports_are_read_or_refused_with_where(path: Path):
    """The seed corpus: a pairing numbered 0, names over 200 characters, a pairing line over 2,000, dashes."""
    try:
        report = parse_report(path, bundled())
    except InputError as e:
        assert str(path) in str(e)
        return
    assert report.dataset.pilots


def test_over_long_names_become_notes_not_crashes(tmp_path: Path):
    report = parse_report(ODD[[p.stem for p in ODD].index("capitalised-run")], bundled())
    assert any("longer than a name" in u.text for u in report.unresolved)
    line = parse_report(ODD[[p.stem for p in ODD].index("long-pairing-line")], bundled())
    assert len(line.dataset.pilots[0].name) <= 2000 and line.dataset.pilots[0].name.endswith("…")


def test_extract_on_the_odd_corpus_exits_0_or_5_without_a_traceback(cli_env):
    for path in ODD:
        done = run_cli("extract", str(path), env=cli_env)
        assert done.returncode in (0, 5), (path.name, done.stderr)
        assert "Traceback" not in done.stderr


def _laughs(path: Path, depth: int = 9) -> Path:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, depth):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append(f"places:\n  - {{id: x, name: X, kind: City, country: FR, aliases: *{chr(ord('a') + depth - 1)}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("rejected", [None, []], ids=["fail", "skip"])
def test_nested_yaml_aliases_are_refused_at_their_line_at_once(tmp_path: Path, rejected):
    path = _laughs(tmp_path / "laughs.yaml")
    started = time.monotonic()
    with pytest.raises(InputError, match=r"laughs\.yaml:\d+: YAML aliases here expand to over 10,000"):
        read_mapping_file(path, rejected)
    assert time.monotonic() - started < 5


def test_a_few_shared_aliases_still_read(tmp_path: Path):
    path = tmp_path / "shared.yaml"
    path.write_text("places:\n  - {id: lyon, name: Lyon, kind: City, country: FR, aliases: &a [Lugdunum]}\n"
                    "  - {id: lyon-2, name: Lyon 2, kind: City, country: FR, aliases: *a}\n", encoding="utf-8")
    assert [p.aliases for p in read_mapping_file(path).places] == [["Lugdunum"], ["Lugdunum"]]


def test_a_query_nested_past_the_bound_is_refused_before_the_engine(fresh):
    deep = "RETURN " + "(" * 24 + "1" + ")" * 24 + " AS x"
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"nests brackets 24 deep \(line 1, column 31\)"):
        fresh.read(deep)
    assert time.monotonic() - started < 2
    at_bound = "RETURN " + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING + " AS x"
    assert fresh.read(at_bound) == [{"x": 1}]
    assert nesting("RETURN '((((((((((((((((((((' AS x // ((((((((((((((((((((((")[0] == 0


def test_a_runaway_query_from_the_cli_exits_4_and_the_file_stays_usable(cli_env):
    deep = "RETURN " + "[" * 30 + "1" + "]" * 30 + " AS x"
    done = run_cli("cypher", deep, env=cli_env)
    assert done.returncode == 4 and "nests brackets 30 deep" in done.stderr
    assert run_cli("cypher", "RETURN 1 AS one", env=cli_env).returncode == 0


@pytest.mark.parametrize("call", [
    lambda: parse_param_map('{"x": 123456789012345678901234567890}'),
    lambda: parse_params(["min_partners=-99999999999999999999"]),
    lambda: parse_param_map('{"x": [1, {"y": 9223372036854775808}]}'),
], ids=["map", "pair", "nested"])
def test_integers_outside_64_bits_are_an_error_naming_the_parameter(call):
    with pytest.raises(ConfigError, match=r"parameter \w+: -?\d+ is outside the 64-bit integers"):
        call()


def test_closed_range_parameters_are_checked(fresh):
    with pytest.raises(UnknownQuery, match="min_partners must be at least 1, got 0"):
        catalog.run(fresh, "hubs", {"min_partners": 0})
    assert parse_params(["x=9223372036854775807"]) == {"x": 2**63 - 1}


def test_an_unexpected_exception_is_exit_70_with_a_report_and_no_traceback(monkeypatch, capsys, tmp_path):
    from citygraph.analysis import stats
    from citygraph.cli import app

    def broken(_store):
        raise RuntimeError("a bug")

    monkeypatch.setattr(stats, "graph_stats", broken)
    monkeypatch.setattr(sys, "argv", ["citygraph", "--uri", str(tmp_path / "x.db"), "stats"])
    with pytest.raises(SystemExit) as done:
        app.main()
    err = capsys.readouterr().err
    assert done.value.code == 70 and "this is a bug" in err and "RuntimeError" in err
    assert "Traceback" not in err
    report = Path(err.split("the details are in ")[1].split(". Please")[0])
    assert "RuntimeError: a bug" in report.read_text(encoding="utf-8")
    report.unlink()


def test_a_csv_export_that_fails_part_way_keeps_the_previous_export_and_leaves_nothing(fresh, tmp_path, monkeypatch):
    import errno

    from citygraph.core.errors import OutputError
    from citygraph.loaders import load
    from citygraph.views import export

    load(fresh)
    kb_store = fresh
    out = tmp_path / "import"
    first = export.export(kb_store, "csv", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real, opened = Path.open, []

    def full_disk(self, mode="r", *args, **kwargs):
        if "w" in mode and self.name.startswith(("nodes_", "rels_")):
            opened.append(self.name)
            if len(opened) == 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_disk)
    with pytest.raises(OutputError, match=r"cannot write (nodes|rels)_\S+\.csv into .*import: No space left"):
        export.export(kb_store, "csv", out)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the previous export, whole
    assert [p.name for p in tmp_path.iterdir()] == ["import"]  # no staging folder left beside it
    assert len(first.paths) > 3
    again = export.export(kb_store, "csv", out)  # and the next export is not refused
    assert sorted(p.name for p in again.paths) == sorted(p.name for p in first.paths)


def test_a_workbook_is_weighed_by_its_unpacked_sheets_before_it_is_read(tmp_path: Path):
    """A zip bomb: 3 MiB on disk, 400 MiB of sheet XML inside, refused from the zip's directory alone."""
    import zipfile

    from citygraph.loaders.budget import memory_needed, over_budget

    path = tmp_path / "bomb.xlsx"
    row = b"<row><c t='inlineStr'><is><t>Lyon</t></is></c></row>" * 1000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as book, \
            book.open("xl/worksheets/sheet1.xml", "w") as sheet:
        for _ in range(8_000):
            sheet.write(row)
    assert path.stat().st_size < 4 * 2**20
    assert memory_needed([path], pairs=True) > 24 * 400 * 2**20
    problem = over_budget([path], True, available=4 * 2**30)
    assert problem and "bomb.xlsx" in problem and "workbook" in problem
