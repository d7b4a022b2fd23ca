"""Outputs are written whole or not at all, and never over a file citygraph did not write (unless --force)."""

from __future__ import annotations

import pytest

from citygraph.core.errors import OutputError
from citygraph.core.outputs import FOLDER_MARK, is_ours, replace_text
from tests.conftest import run_cli


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    page = replace_text(tmp_path / "page.html", "<!-- generator: citygraph -->\nfirst\n")

    def broken(tmp):
        tmp.write_text("half a pa", encoding="utf-8")
        raise OSError(28, "No space left on device")

    from citygraph.core.outputs import replace_file

    with pytest.raises(OutputError, match="No space left on device; the previous file is kept"):
        replace_file(page, broken)
    assert page.read_text(encoding="utf-8").endswith("first\n")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left behind


def test_pages_maps_and_exports_refuse_a_file_they_did_not_write(cli_env, tmp_path):
    assert run_cli("load", env=cli_env).returncode == 0
    mine = tmp_path / "notes.html"
    mine.write_text("my own notes", encoding="utf-8")
    for args in (["render", "-o", str(mine)], ["map", "-o", str(mine)], ["export", "-f", "gexf", "-o", str(mine)],
                 ["export", "-f", "cypher", "-o", str(mine)], ["demo", "-o", str(mine)]):
        result = run_cli(*args, env=cli_env)
        assert result.returncode == 6 and "not a citygraph output" in result.stderr, (args, result.stderr)
        assert mine.read_text(encoding="utf-8") == "my own notes"
    assert run_cli("render", "-o", str(mine), "--force", env=cli_env).returncode == 0 and is_ours(mine)
    again = [["render", "-o", str(mine)]]
    for fmt, name in (("graphml", "g.graphml"), ("svg", "m.svg"), ("png", "m.png")):
        command = ["export", "-f", fmt] if fmt == "graphml" else ["map", "-f", fmt]
        again += [[*command, "-o", str(tmp_path / name)]] * 2
    for args in again:
        assert run_cli(*args, env=cli_env).returncode == 0, args  # its own earlier output is replaced


def test_a_csv_export_never_mixes_with_an_earlier_one(cli_env, tmp_path):
    folder = tmp_path / "import"
    assert run_cli("load", env=cli_env).returncode == 0
    assert run_cli("export", "-f", "csv", "-o", str(folder), env=cli_env).returncode == 0
    first = {p.name for p in folder.iterdir()}
    assert "rels_SIGNED_BY_Agreement_Place.csv" in first or any(n.startswith("rels_SIGNED_BY") for n in first)
    assert run_cli("reset", "--yes", env=cli_env).returncode == 0
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,ac,b,bc\nLinz,AT,Tampere,FI\n", encoding="utf-8")
    assert run_cli("load", str(pairs), "--columns", "a=a,a_country=ac,b=b,b_country=bc", env=cli_env).returncode == 0
    assert run_cli("export", "-f", "csv", "-o", str(folder), env=cli_env).returncode == 0
    second = {p.name for p in folder.iterdir()}
    assert not any(n.startswith("rels_SIGNED_BY") for n in second)  # the first export's files are gone
    assert FOLDER_MARK in second
    foreign = tmp_path / "taken"
    foreign.mkdir()
    (foreign / "readme.txt").write_text("mine", encoding="utf-8")
    refused = run_cli("export", "-f", "csv", "-o", str(foreign), env=cli_env)
    assert refused.returncode == 6 and "no citygraph export wrote" in refused.stderr


def test_reads_leave_the_data_file_as_it_was(cli_env, tmp_path):
    """A command that changes nothing does not save: the file keeps its bytes and its time (a backup copied in
    during a read stays)."""
    db = tmp_path / "cli.db"
    assert run_cli("load", env=cli_env).returncode == 0
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    for args in (["stats"], ["query", "hubs"], ["cypher", "MATCH (n) RETURN count(n) AS n"], ["centrality"]):
        assert run_cli(*args, env=cli_env).returncode == 0, args
        assert (db.read_bytes(), db.stat().st_mtime_ns) == before, args
    assert run_cli("cypher", "CREATE (:Place {id: 'x', name: 'X'})", "--write", env=cli_env).returncode == 0
    assert db.stat().st_mtime_ns != before[1]  # a write still saves


def test_a_full_or_closed_standard_output_is_one_line_not_a_traceback(cli_env):
    import subprocess
    import sys

    command = [sys.executable, "-m", "citygraph", "cypher", "UNWIND range(1, 100000) AS i RETURN i", "-f", "csv"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, env=cli_env, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 6 and "cannot write the output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr
    reader = subprocess.Popen(command, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout.readline() == b"i\n"
    reader.stdout.close()  # the reader leaves, as `| head -1` does
    assert reader.wait(timeout=120) == 0 and b"Traceback" not in reader.stderr.read()


def test_stored_text_prints_as_text_and_csv_cells_are_not_formulas(cli_env, tmp_path):
    names = ["[link=https://evil.example/]Paris[/link]", "Lyon [sic]", "a [/x] b", '=HYPERLINK("https://e.x")',
             "+cmd|' /C calc'!A0", "@SUM(1)"]
    path = tmp_path / "places.yaml"
    path.write_text("places:\n" + "".join(f"  - {{id: p{i}, name: {json_str(n)}, kind: City, country: FR}}\n"
                                          for i, n in enumerate(names)), encoding="utf-8")
    assert run_cli("load", str(path), env=cli_env).returncode == 0
    assert run_cli("cypher", "CREATE (:Place {id: 'esc', name: 'x\u001b[2Jy'})", "--write", env=cli_env).returncode == 0
    table = run_cli("cypher", "MATCH (p:Place) RETURN p.name AS name ORDER BY name", env={**cli_env, "COLUMNS": "200"})
    assert table.returncode == 0 and "Traceback" not in table.stderr
    for name in names[:3]:
        assert name in table.stdout
    assert "\x1b" not in table.stdout and "x\\x1b[2Jy" in table.stdout
    csv_out = run_cli("cypher", "MATCH (p:Place) RETURN p.name AS name ORDER BY name", "-f", "csv", env=cli_env)
    import csv
    import io

    cells = [row[0] for row in csv.reader(io.StringIO(csv_out.stdout))][1:]
    assert "'=HYPERLINK(\"https://e.x\")" in cells and "'@SUM(1)" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def json_str(text: str) -> str:
    import json

    return json.dumps(text)


def test_paths_with_brackets_and_quotes_are_data(tmp_path):
    import os

    from tests.conftest import ROOT

    odd = tmp_path / "it's [a] folder"
    odd.mkdir()
    env = dict(os.environ, CITYGRAPH_URI=f"embedded:{tmp_path / '[b] data' / 'g[1].db'}")
    env.pop("NEO4J_PASSWORD", None)
    for args in (["demo", "-o", str(odd / "page [1].html")], ["render", "-o", str(odd / "p'2.html")],
                 ["map", "-o", str(odd / "m'3.svg"), "-f", "svg"], ["reset", "--yes"]):
        result = run_cli(*args, env=env, cwd=ROOT)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr[-800:])
    assert (odd / "page [1].html").exists() and (odd / "p'2.html").exists()
    # The embedded server cannot keep its file under a path with a quote: said at once, nothing started.
    quoted = run_cli("stats", env={**env, "CITYGRAPH_URI": f"embedded:{odd / 'g.db'}"}, cwd=ROOT)
    assert quoted.returncode == 2 and "holds a quote" in quoted.stderr and "Traceback" not in quoted.stderr
    assert not list(odd.glob("g.db*"))


def test_a_page_from_before_the_mark_is_still_ours(tmp_path):
    """A network page written by an earlier citygraph (its head names citygraph in the title) is replaced."""
    old = tmp_path / "citygraph-network.html"
    old.write_text("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<title>citygraph — cooperation network</title>", encoding="utf-8")
    assert is_ours(old)
    replace_text(old, "<!-- generator: citygraph -->\nnew")
    assert old.read_text(encoding="utf-8").endswith("new")


def test_streams_links_and_permissions_are_respected(cli_env, tmp_path):
    """`--out /dev/full --force` replaced the device with a regular file (as root); `/dev/full` as a CSV
    export said "File exists"; outputs came out mode 0600; a symbolic link was replaced by a file."""
    import os
    import stat

    assert run_cli("load", env=cli_env).returncode == 0
    for extra in ([], ["--force"]):
        full = run_cli("export", "-f", "graphml", "-o", "/dev/full", *extra, env=cli_env)
        assert full.returncode == 6 and "cannot write /dev/full: No space left on device" in full.stderr
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    folder = run_cli("export", "-f", "csv", "-o", "/dev/full", env=cli_env)
    assert folder.returncode == 6 and "/dev/full is not a folder" in folder.stderr
    piped = run_cli("export", "-f", "graphml", "-o", "/dev/stdout", env=cli_env)
    assert piped.returncode == 0 and piped.stdout.startswith("<graphml")

    empty = tmp_path / "new.graphml"
    empty.touch()  # what `> new.graphml` leaves: nothing to lose
    assert run_cli("export", "-f", "graphml", "-o", str(empty), env=cli_env).returncode == 0 and is_ours(empty)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(empty.stat().st_mode) == 0o666 & ~umask
    empty.chmod(0o640)
    link = tmp_path / "latest.graphml"
    link.symlink_to(empty.name)
    assert run_cli("export", "-f", "graphml", "-o", str(link), env=cli_env).returncode == 0
    assert link.is_symlink() and stat.S_IMODE(empty.stat().st_mode) == 0o640
