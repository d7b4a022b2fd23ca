"""Inputs read as their authors wrote them, and nothing silently rewritten or carried into exports."""

from __future__ import annotations

import io
import json

import pytest

from citygraph.cli.output import emit
from citygraph.core.errors import InputError
from citygraph.loaders.formats.structured import read_mapping_file
from citygraph.loaders.formats.tabular import read_table
from citygraph.loaders.options import ReadOptions
from citygraph.loaders.read import read_paths


def _refused_at(path, text: str, match: str, read=read_mapping_file) -> str:
    """Write ``text`` to ``path``, read it, and return where the InputError (matching ``match``) points."""
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match) as caught:
        read(path)
    return str(caught.value.location)


def test_yaml_scalars_stay_as_written(tmp_path):
    path = tmp_path / "places.yaml"
    path.write_text("places:\n"
                    "  - {id: '0777', name: 12:30, kind: City, country: NO, lat: 59.91}\n"
                    "  - {id: x1, name: 1.10, kind: City, country: FR, aliases: [0777, yes]}\n", encoding="utf-8")
    first, second = read_mapping_file(path).places
    assert (first.id, first.name, first.country, first.lat) == ("0777", "12:30", "NO", 59.91)
    assert (second.name, second.aliases) == ("1.10", ["0777", "yes"])


@pytest.mark.parametrize("name, text, line", [
    ("dup.yaml", "places:\n  - id: a\n    name: A\n    name: B\n    kind: City\n    country: FR\n", 4),
    ("dup.json", '{"places": [{"id": "a", "name": "A", "kind": "City",\n "name": "B", "country": "FR"}]}', 2),
])
def test_a_key_given_twice_is_refused_at_its_line(tmp_path, name, text, line):
    path = tmp_path / name
    assert _refused_at(path, text, "key 'name' is given twice") == f"{path}:{line}"


def test_a_column_named_twice_is_refused(tmp_path):
    path = tmp_path / "pairs.csv"
    text = "city,country,city,country\nLyon,FR,Linz,AT\n"
    assert _refused_at(path, text, "names column 'city' twice", read_table) == f"{path}:1"


def test_control_characters_are_refused_with_file_and_line(tmp_path):
    path = tmp_path / "places.yaml"
    path.write_text('places:\n  - {id: a, name: "Ly\\u001bon", kind: City, country: FR}\n', encoding="utf-8")
    with pytest.raises(InputError, match="control character U\\+001B") as caught:
        read_mapping_file(path)
    assert caught.value.location == f"{path}:2"
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,ac,b,bc\nZq\x07vil,DE,Lyon,FR\nLinz,AT,Lyon,FR\n", encoding="utf-8")
    read = read_paths([pairs], ReadOptions(columns="a=a,a_country=ac,b=b,b_country=bc"))
    assert [(r.where.rsplit(":", 1)[1], "U+0007" in r.reason) for r in read.rejected] == [("2", True)]


def test_csv_output_keeps_every_digit():
    out = io.StringIO()
    emit([{"x": 1234567.89, "y": 0.1 + 0.2, "z": [2.5, 1e-12]}], "csv", out=out)
    assert out.getvalue().splitlines()[1] == "1234567.89,0.30000000000000004,2.5; 1e-12"
    table = io.StringIO()
    emit([{"x": 1234567.89}], "json", out=table)
    assert json.loads(table.getvalue()) == [{"x": 1234567.89}]


def test_contact_checks_take_linear_time_on_hostile_text(tmp_path):
    """A 200 KB run of word characters (minutes to refuse before) and of digits and dashes are checked at once."""
    import subprocess
    import sys

    path = tmp_path / "long.yaml"
    path.write_text("cooperations:\n  - {id: c, title: T, channel: port, summary: '" + "a" * 200_000 + "'}\n"
                    "  - {id: d, title: T, channel: port, summary: '" + "1-" * 100_000 + "x'}\n", encoding="utf-8")
    code = ("import sys; from pathlib import Path; from citygraph.loaders.formats.structured import read_mapping_file; "
            "print(len(read_mapping_file(Path(sys.argv[1])).cooperations))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "2", done.stderr[-500:]
    for text, found in (("write to jo.doe+x@example.co.uk", "e-mail"), ("call +44 (0)20 7946 0958", "phone"),
                        ("ring 555-123-4567 today", "phone")):
        path.write_text(f"places:\n  - {{id: a, name: '{text}', kind: City, country: FR}}\n", encoding="utf-8")
        with pytest.raises(InputError, match=found):
            read_mapping_file(path)
    path.write_text("events:\n  - {id: e, name: 'Visit of 14 March 2017 (ISO 3166-1, 2017-05-03)', date: 2017-05}\n",
                    encoding="utf-8")
    assert read_mapping_file(path).events[0].date == "2017-05"


@pytest.mark.parametrize("name, text", [("deep.json", "[" * 100_000 + "]" * 100_000),
                                        ("deep.yaml", "places: " + "[" * 50_000 + "]" * 50_000)])
def test_deep_nesting_is_one_clear_error(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply|invalid"):
        read_mapping_file(path)


def test_pipes_and_devices_are_never_read(tmp_path):
    import os

    fifo = tmp_path / "places.yaml"
    os.mkfifo(fifo)
    zero = tmp_path / "pairs.csv"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        with pytest.raises(InputError, match="not a regular file"):
            read_paths([path], ReadOptions(columns="a=a,a_country=b,b=c,b_country=d") if path == zero else None)


def test_a_key_that_is_not_a_name_is_one_clear_error(tmp_path):
    """Found by the coverage-guided fuzzer: a list as a mapping key."""
    path = tmp_path / "odd.yaml"
    assert _refused_at(path, "places:\n  - {? [a, b] : c}\n", "a key must be a name, not a list") == f"{path}:2"


def test_generate_stays_within_what_load_accepts_and_memory_holds(tmp_path, monkeypatch):
    """`generate` at its own maximum ended in MemoryError (10^8 links); its largest file must also load."""
    from collections import namedtuple

    import psutil

    from citygraph.cli import loading
    from citygraph.core.errors import ConfigError
    from citygraph.loaders.formats.tabular import MAX_BYTES
    from citygraph.synth import MAX_LINKS, MAX_PLACES, generate, memory_needed, write

    sample = 20_000
    files = {p.name: p.stat().st_size for p in write(generate(MAX_PLACES // 100, sample, seed=3), tmp_path)}
    assert files["cooperations.csv"] / sample * MAX_LINKS < 0.95 * MAX_BYTES
    assert files["places.csv"] * 100 < 0.95 * MAX_BYTES and files["organisations.csv"] * 100 < 0.95 * MAX_BYTES
    assert memory_needed(MAX_PLACES, MAX_LINKS) < 4 * 2**30

    memory = namedtuple("memory", "available")
    monkeypatch.setattr(psutil, "virtual_memory", lambda: memory(2**30))
    with pytest.raises(ConfigError, match=r"needs about 2\.8 GiB of memory; 1\.0 GiB is available"):
        loading.generate(out=tmp_path / "never", places=MAX_PLACES, links=MAX_LINKS, seed=1)
    assert not (tmp_path / "never").exists()


def test_spreadsheet_shapes_and_yaml_no_load_as_meant(tmp_path):
    """A semicolon or tab table, Excel's trailing `,,,` rows, `country: NO` (YAML 1.1 made it false), kinds
    in any case: each once gave a message that did not point to its cause; they now load as meant."""
    shapes = {
        "semicolon/places.csv": "id;name;kind;country\nlyon;Lyon;city;FR\n",
        "tab/places.csv": "id\tname\tkind\tcountry\nbergen\tBergen\tCITY\tNO\n",
        "excel/places.csv": "id,name,kind,country\noslo,Oslo,City,Norway\n,,,\n,,,\n",
        "norway.yaml": "places:\n  - {id: tromso, name: Tromsø, kind: city, country: NO}\n",
    }
    paths = []
    for name, text in shapes.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    read = read_paths(paths)
    assert read.rejected == []
    assert sorted((p.id, p.kind, p.country) for p in read.dataset.places) == [
        ("bergen", "City", "NO"), ("lyon", "City", "FR"), ("oslo", "City", "NO"), ("tromso", "City", "NO")]
    bad = tmp_path / "bad" / "places.csv"
    bad.parent.mkdir()
    bad.write_text("id;name;kind;country\nx;X;village;FR\n", encoding="utf-8")
    read = read_paths([bad], None)
    assert [(r.where, r.reason) for r in read.rejected] == [
        (f"{bad}:2", "place 'x': kind: unknown place kind 'village'; one of City, Region, Country")]


def test_a_load_the_free_memory_cannot_hold_is_refused_before_reading(tmp_path, monkeypatch):
    """A 50 MB, 2-million-row list took 4.6 GB; held compact it takes far less, but memory still grows with
    the input, so the estimate (measured bytes per byte, by kind of file) is checked against the free memory
    first."""
    from collections import namedtuple

    import psutil

    from citygraph.loaders.budget import BASE, PER_BYTE, memory_needed

    pairs = tmp_path / "twins.csv"
    pairs.write_text("a,ac,b,bc\n" + "Linz,AT,Lyon,FR\n" * 200_000, encoding="utf-8")  # 3.2 MB
    assert memory_needed([pairs], pairs=True) == BASE + PER_BYTE["pairs"] * pairs.stat().st_size
    memory = namedtuple("memory", "available")
    monkeypatch.setattr(psutil, "virtual_memory", lambda: memory(540 * 2**20))
    with pytest.raises(InputError, match=r"needs about 0\.6 GiB of memory \(a list of pairs takes ~24 bytes "
                                         r"per byte of input, and twins\.csv has 3 MiB\); 0\.5 GiB is free"):
        read_paths([pairs], ReadOptions(columns="a=a,a_country=ac,b=b,b_country=bc"))
    small = tmp_path / "places.csv"
    small.write_text("id,name,kind,country\nlyon,Lyon,City,FR\n", encoding="utf-8")
    assert [p.id for p in read_paths([small]).dataset.places] == ["lyon"]  # what fits is read as before
